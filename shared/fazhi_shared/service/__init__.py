"""The service part of fazhi-shared: what needs nameko, eventlet, SQLAlchemy or kombu.

Installed with the ``service`` extra (``pip install 'fazhi-shared[service]'``). The
modules here import nothing at package level, so a process that needs only the database
helpers or the RPC client (the gateway's HTTP workers) never loads nameko or eventlet:

- without nameko: ``db`` (engines, sessions, COPY), ``pagination``, ``scope`` (the SQL
  form of the visibility rule), ``tables``, ``migrations``, ``audit``, ``rpc_client``
  (nameko's wire protocol over kombu);
- nameko processes: ``green``, ``rpc``, ``defaults`` (the service base), ``outbox``,
  ``events``, ``unittree``, ``runner``, ``testing`` (the pytest plugin).
"""
