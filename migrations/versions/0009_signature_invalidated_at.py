"""signatures.invalidated_at: when organizers took a fraudulent signature out

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signatures') as batch:
        batch.add_column(sa.Column('invalidated_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('signatures') as batch:
        batch.drop_column('invalidated_at')
