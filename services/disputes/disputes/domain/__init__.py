"""Pure rules of the disputes service: no database, no nameko, no Flask.

Each module holds the rules of one idea as plain functions (tested exhaustively in
``tests/unit``); the use cases call them and the RPC methods never hold rules.
"""
