"""disputes: platform tables (with the unit-tree read model), cases, the case file, the
hash-chained case log and its heads, maintained statistics, campaigns

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

OWN = ('cases', 'case_parties', 'case_records', 'agreements', 'attachments', 'case_log', 'case_chain_heads', 'stat_counters', 'current_counters', 'campaigns', 'rectification_items')


def upgrade():
    create_platform_tables(op.get_bind(), unit_tree=True)
    op.create_table('agreements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('form', sa.String(length=10), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('terms', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('signed_by', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('mediator_signed', sa.Boolean(), nullable=False),
    sa.Column('sealed', sa.Boolean(), nullable=False),
    sa.Column('concerns_status', sa.Boolean(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('case_id', name=op.f('uq_agreements_case_id'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('address', sa.String(length=80), nullable=False),
    sa.Column('public_address', sa.String(length=80), nullable=False),
    sa.Column('public_size', sa.BigInteger(), nullable=False),
    sa.Column('caption', sa.String(length=100), nullable=False),
    sa.Column('uploaded_by_person_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    op.create_index('ix_attachments_case', 'attachments', ['case_id', 'id'], unique=False)
    op.create_table('campaigns',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('unit_ids', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('issue_types', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_by_person_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    op.create_index('ix_campaigns_path', 'campaigns', ['path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})
    op.create_table('case_chain_heads',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_chain_heads'))
    )
    op.create_table('case_log',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_kind', sa.String(length=10), nullable=False),
    sa.Column('actor_account_id', sa.String(length=36), nullable=True),
    sa.Column('actor_person_id', sa.String(length=36), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_log')),
    sa.UniqueConstraint('case_id', 'seq', name='uq_case_log_case_seq')
    )
    op.create_table('case_parties',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('case_id', 'person_id', name=op.f('pk_case_parties'))
    )
    op.create_index('ix_case_parties_person', 'case_parties', ['person_id', 'case_id'], unique=False)
    op.create_table('case_records',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('author_person_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_records'))
    )
    op.create_index('ix_case_records_case', 'case_records', ['case_id', 'id'], unique=False)
    op.create_table('cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('compound_id', sa.String(length=36), nullable=False),
    sa.Column('compound_path', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('source_ref', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('subtype', sa.String(length=30), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('search_terms', sa.Text(), nullable=False),
    sa.Column('search_vector', postgresql.TSVECTOR(), sa.Computed("to_tsvector('simple', search_terms)", persisted=True), nullable=True),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('risk_flags', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('prior_authority', sa.String(length=20), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('handling_unit_id', sa.String(length=36), nullable=True),
    sa.Column('mediator_person_id', sa.String(length=36), nullable=True),
    sa.Column('reached_mediation', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('concluded_level', sa.String(length=20), nullable=True),
    sa.Column('pass_out_body', sa.String(length=20), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('level_started_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('registered_by_person_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number'))
    )
    op.create_index('ix_cases_category', 'cases', ['category', 'id'], unique=False)
    op.create_index('ix_cases_due', 'cases', ['due_on'], unique=False, postgresql_where="state IN ('accepted', 'mediating')")
    op.create_index('ix_cases_level', 'cases', ['level', 'id'], unique=False)
    op.create_index('ix_cases_mediator', 'cases', ['mediator_person_id', 'id'], unique=False)
    op.create_index('ix_cases_overdue', 'cases', ['path'], unique=False, postgresql_where='overdue', postgresql_ops={'path': 'text_pattern_ops'})
    op.create_index('ix_cases_path_prefix', 'cases', ['path'], unique=False, postgresql_ops={'path': 'text_pattern_ops'})
    op.create_index('ix_cases_registered', 'cases', ['registered_at', 'id'], unique=False)
    op.create_index('ix_cases_search', 'cases', ['search_vector'], unique=False, postgresql_using='gin')
    op.create_index('ix_cases_source', 'cases', ['source', 'id'], unique=False)
    op.create_index('ix_cases_source_ref', 'cases', ['source', 'source_ref'], unique=True, postgresql_where='source_ref IS NOT NULL')
    op.create_index('ix_cases_state', 'cases', ['state', 'id'], unique=False)
    op.create_index('ix_cases_urgency', 'cases', ['urgency', 'id'], unique=False)
    op.create_table('current_counters',
    sa.Column('compound_path', sa.Text(), nullable=False),
    sa.Column('measure', sa.String(length=30), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('compound_path', 'measure', name=op.f('pk_current_counters'))
    )
    op.create_index('ix_current_counters_path', 'current_counters', ['compound_path'], unique=False, postgresql_ops={'compound_path': 'text_pattern_ops'})
    op.create_table('rectification_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('campaign_id', sa.String(length=36), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('issue_type', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('assignee_person_id', sa.String(length=36), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('sent_back_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_items'))
    )
    op.create_index('ix_rectification_items_campaign', 'rectification_items', ['campaign_id', 'state'], unique=False)
    op.create_table('stat_counters',
    sa.Column('compound_path', sa.Text(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('measure', sa.String(length=30), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('compound_path', 'month', 'category', 'measure', name=op.f('pk_stat_counters'))
    )
    op.create_index('ix_stat_counters_month', 'stat_counters', ['month', 'measure'], unique=False)
    op.create_index('ix_stat_counters_path', 'stat_counters', ['compound_path'], unique=False, postgresql_ops={'compound_path': 'text_pattern_ops'})
    op.execute("CREATE SEQUENCE case_number_seq")


def downgrade():
    op.execute("DROP SEQUENCE case_number_seq")
    for table in reversed(OWN):
        op.drop_table(table)
    drop_platform_tables(op.get_bind(), unit_tree=True)
