"""Writes of the accounts app, one module per concern: users, roles, tokens, sessions, lockout, passwords."""
