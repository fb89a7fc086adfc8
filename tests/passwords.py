"""The password tests give the accounts they create: 12 characters or more, and not a common one."""

VALID_PASSWORD = "a long enough password"
