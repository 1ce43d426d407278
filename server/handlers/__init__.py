"""HTTP handlers. Importing this package registers every route in `base.ROUTES`."""

from server.handlers import (  # noqa: F401
    auth,
    cast,
    characters,
    logs,
    openapi,
    rbac,
    sessions,
    settings,
    shows,
    stage,
    stage_directions,
    structure,
    system,
    tags,
    user_settings,
)
