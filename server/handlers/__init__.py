"""HTTP handlers. Importing this package registers every route in `base.ROUTES`."""

from server.handlers import auth, openapi, rbac, sessions, settings, shows, tags  # noqa: F401
