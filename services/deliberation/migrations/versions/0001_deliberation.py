"""deliberation: platform tables (with the unit-tree read model), matters and their agenda,
the frozen electorate, ballots and their history, roll objections, proposals, appeals,
meetings and participation scores

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from fazhi_shared.service.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

OWN = ("score_entries", "meetings", "appeals", "proposals", "roll_objections",
       "ballot_history", "ballots", "electorate_entries", "agenda_items", "matters")


def upgrade():
    create_platform_tables(op.get_bind(), unit_tree=True)
    op.create_table('appeals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('submitter_account_id', sa.String(length=36), nullable=True),
    sa.Column('submitter_person_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('responsible', sa.String(length=30), nullable=True),
    sa.Column('reply_days', sa.Integer(), nullable=True),
    sa.Column('reply_due_on', sa.Date(), nullable=True),
    sa.Column('due_approximate', sa.Boolean(), nullable=False),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('satisfaction', sa.String(length=30), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('referred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals'))
    )
    op.create_index(op.f('ix_appeals_compound_id'), 'appeals', ['compound_id'], unique=False)
    op.create_index('ix_appeals_path_prefix', 'appeals', ['path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})
    op.create_index(op.f('ix_appeals_submitter_account_id'), 'appeals', ['submitter_account_id'], unique=False)
    op.create_table('ballot_history',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('ballot_id', sa.String(length=36), nullable=False),
    sa.Column('matter_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('entered_by_account_id', sa.String(length=36), nullable=True),
    sa.Column('proxy_name', sa.Text(), nullable=True),
    sa.Column('receipt_code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_history'))
    )
    op.create_index(op.f('ix_ballot_history_ballot_id'), 'ballot_history', ['ballot_id'], unique=False)
    op.create_table('matters',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('electorate_scope', sa.String(length=12), nullable=False),
    sa.Column('building_ids', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=True),
    sa.Column('notice_days', sa.Integer(), nullable=True),
    sa.Column('voting_days', sa.Integer(), nullable=False),
    sa.Column('noticed_on', sa.Date(), nullable=True),
    sa.Column('notice_period_ends', sa.Date(), nullable=True),
    sa.Column('notice_end_approximate', sa.Boolean(), nullable=False),
    sa.Column('roll_objections_until', sa.Date(), nullable=True),
    sa.Column('electorate_as_of', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voting_opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voting_ends_on', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('posted_until', sa.Date(), nullable=True),
    sa.Column('challenge_until', sa.Date(), nullable=True),
    sa.Column('total_area', sa.Integer(), nullable=True),
    sa.Column('total_owners', sa.Integer(), nullable=True),
    sa.Column('electronic_ballots', sa.Boolean(), nullable=False),
    sa.Column('deemed_consent', sa.Boolean(), nullable=False),
    sa.Column('count_parking', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matters'))
    )
    op.create_index(op.f('ix_matters_compound_id'), 'matters', ['compound_id'], unique=False)
    op.create_index('ix_matters_path_prefix', 'matters', ['path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})
    op.create_table('meetings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('participants', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('legal_adviser', sa.Text(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('resolutions', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('matter_ids', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    op.create_index(op.f('ix_meetings_compound_id'), 'meetings', ['compound_id'], unique=False)
    op.create_table('proposals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('compound_id', 'owner_id', name='uq_proposal_owner')
    )
    op.create_table('score_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('compound_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('household_unit_id', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_entries')),
    sa.UniqueConstraint('source', 'person_id', name='uq_score_source_person')
    )
    op.create_index(op.f('ix_score_entries_compound_id'), 'score_entries', ['compound_id'], unique=False)
    op.create_index(op.f('ix_score_entries_person_id'), 'score_entries', ['person_id'], unique=False)
    op.create_table('agenda_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('matter_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('result', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_agenda_items_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    op.create_index(op.f('ix_agenda_items_matter_id'), 'agenda_items', ['matter_id'], unique=False)
    op.create_table('electorate_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('matter_id', sa.String(length=36), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('voter_person_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('area', sa.Integer(), nullable=False),
    sa.Column('heads', sa.Integer(), nullable=False),
    sa.Column('units', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('ballot_code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_electorate_entries_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_electorate_entries')),
    sa.UniqueConstraint('matter_id', 'ballot_code', name='uq_entry_code'),
    sa.UniqueConstraint('matter_id', 'owner_id', name='uq_entry_owner')
    )
    op.create_index(op.f('ix_electorate_entries_voter_person_id'), 'electorate_entries', ['voter_person_id'], unique=False)
    op.create_table('roll_objections',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('matter_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=True),
    sa.Column('person_id', sa.String(length=36), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_roll_objections_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roll_objections'))
    )
    op.create_index(op.f('ix_roll_objections_matter_id'), 'roll_objections', ['matter_id'], unique=False)
    op.create_table('ballots',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('matter_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('voter_person_id', sa.String(length=36), nullable=True),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('entered_by_account_id', sa.String(length=36), nullable=True),
    sa.Column('proxy_name', sa.Text(), nullable=True),
    sa.Column('proxy_person_id', sa.String(length=36), nullable=True),
    sa.Column('proxy_evidence', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('receipt_code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['electorate_entries.id'], name=op.f('fk_ballots_entry_id_electorate_entries')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_ballots_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_ballots_matter_id_matters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('item_id', 'entry_id', name='uq_ballot_item_entry')
    )
    op.create_index(op.f('ix_ballots_entry_id'), 'ballots', ['entry_id'], unique=False)
    op.create_index(op.f('ix_ballots_matter_id'), 'ballots', ['matter_id'], unique=False)
    op.create_index(op.f('ix_ballots_receipt_code'), 'ballots', ['receipt_code'], unique=False)


def downgrade():
    for table in OWN:
        op.drop_table(table)
    drop_platform_tables(op.get_bind(), unit_tree=True)
