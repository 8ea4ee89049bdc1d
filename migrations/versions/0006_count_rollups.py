"""count rollups, the public names index, duplicate notices decided when sent

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('count_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_count_changes'))
    )
    with op.batch_alter_table('count_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_count_changes_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('count_rollups',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('campaign_id', 'day', 'country', 'recipient_id', name=op.f('pk_count_rollups'))
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index('ix_signatures_public_names', ['campaign_id', 'status', 'show_name', 'confirmed_at', 'id'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_notice_for', sa.Integer(), nullable=True))

    # Counts of signatures confirmed before this revision.
    op.execute(
        "INSERT INTO count_rollups (campaign_id, day, country, recipient_id, confirmed) "
        "SELECT campaign_id, date(confirmed_at), coalesce(country, ''), coalesce(recipient_id, 0), "
        "count(*) FROM signatures WHERE status = 'confirmed' "
        "GROUP BY campaign_id, date(confirmed_at), coalesce(country, ''), coalesce(recipient_id, 0)"
    )


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('duplicate_notice_for')

    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_public_names')

    op.drop_table('count_rollups')
    with op.batch_alter_table('count_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_count_changes_campaign_id'))

    op.drop_table('count_changes')
