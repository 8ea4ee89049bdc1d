"""outbox mail tied to its signature; delivery pack jobs

Revision ID: 0005
Revises: 0003

Queued mail now names the signature it is about, so withdrawing one
signature drops only its own mail. Mail queued before this revision has no
signature and is sent (then erased) as before.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_signature_id'), ['signature_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_messages_signature_id_signatures'),
            'signatures', ['signature_id'], ['id'], ondelete='CASCADE',
        )

    op.create_table('delivery_pack_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('chunk_size', sa.Integer(), nullable=False),
    sa.Column('names_total', sa.Integer(), nullable=False),
    sa.Column('names_done', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=100), nullable=True),
    sa.Column('file_bytes', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_delivery_pack_jobs_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organizer_id'], ['organizers.id'], name=op.f('fk_delivery_pack_jobs_organizer_id_organizers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_delivery_pack_jobs_recipient_id_recipients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_pack_jobs'))
    )
    with op.batch_alter_table('delivery_pack_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_pack_jobs_campaign_created', ['campaign_id', 'created_at'], unique=False)
        batch_op.create_index('ix_delivery_pack_jobs_status', ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('delivery_pack_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_pack_jobs_status')
        batch_op.drop_index('ix_delivery_pack_jobs_campaign_created')
    op.drop_table('delivery_pack_jobs')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_signature_id_signatures'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_signature_id'))
        batch_op.drop_column('signature_id')
