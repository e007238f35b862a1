"""Hooks for the Django stack: admin credentials, migrations, provisioning."""
