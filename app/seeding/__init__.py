"""The seed data: articles, facts, recipients and campaigns from seeds/."""
