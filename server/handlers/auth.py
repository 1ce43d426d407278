"""Users and tokens: /api/v1/auth/... and /api/v2/users."""

from __future__ import annotations

from server import auth
from server.handlers.base import (
    Access,
    Answer,
    BaseAPIHandler,
    Call,
    Transaction,
    endpoint,
    route,
)
from server.operations import users
from server.schemas.users import (
    CURRENT_USER,
    ApiTokenSchema,
    ChangePasswordSchema,
    CreateUserSchema,
    HasApiTokenSchema,
    LoggedInSchema,
    LoginSchema,
    LogoutSchema,
    PasswordResetSchema,
    ResetPasswordSchema,
    TokenSchema,
    UpdateUserSchema,
    UserIdQuerySchema,
    UserListSchema,
    UserSchema,
)
from server.throttle import LoginThrottle

# The password is hashed (on the password threads) with no transaction open: the method opens
# its own, before and after.
CREATE_USER = {
    "access": Access.FIRST_USER_OR_ADMIN,
    "body": CreateUserSchema,
    "errors": (400, 401, 403),
    "tag": "auth",
    "transaction": Transaction.NONE,
}


class CreatesUsers(BaseAPIHandler):
    async def create_user(self, call: Call) -> Answer:
        body = call.body
        username, password, is_admin = body["username"], body["password"], body["is_admin"]
        with self.database.read() as db:
            users.check_new_user(db, username, password, is_admin)
        hashed = await auth.hash_password_off_loop(password)
        with self.database.write(publish=self.after_response) as db:
            # Checked again: the first user may have been created while the password was hashed.
            if users.any_users(db):
                self.require_admin(call.signed_in)
            users.create_user(db, username, password, is_admin, call.now, hashed=hashed)
        return {"message": "Successfully created user"}


def list_users(call: Call) -> Answer:
    return {"users": UserSchema(many=True).dump(users.list_users(call.db))}


@route(r"/api/v1/auth/create")
class CreateUserHandler(CreatesUsers):
    @endpoint("Create a user (no login for the first, an admin afterwards)", **CREATE_USER)
    async def post(self, call: Call) -> Answer:
        return await self.create_user(call)


@route(r"/api/v2/users")
class UsersV2Handler(CreatesUsers):
    """client-v3's users page: create (as /auth/create), list and delete."""

    @endpoint("Create a user (as /api/v1/auth/create)", **CREATE_USER)
    async def post(self, call: Call) -> Answer:
        return await self.create_user(call)

    @endpoint(
        "Every user (admin)", access=Access.ADMIN, answer=UserListSchema, errors=(403,), tag="auth"
    )
    def get(self, call: Call) -> Answer:
        return list_users(call)

    @endpoint(
        "Delete another user (admin); their roles and settings go with them",
        access=Access.ADMIN,
        query=UserIdQuerySchema,
        errors=(400, 403, 404),
        tag="auth",
    )
    def delete(self, call: Call) -> Answer:
        users.delete_user(call.db, call.user, call.query["id"])
        return {"message": "Successfully deleted user"}

    @endpoint(
        "Make another user an admin or no longer one (admin); one admin always remains",
        access=Access.ADMIN,
        query=UserIdQuerySchema,
        body=UpdateUserSchema,
        errors=(400, 403, 404),
        tag="auth",
    )
    def patch(self, call: Call) -> Answer:
        users.update_user(call.db, call.user, call.query["id"], call.body["is_admin"])
        return {"message": "Successfully updated user"}


@route(r"/api/v1/auth/reset-password")
class ResetPasswordHandler(BaseAPIHandler):
    @endpoint(
        "Give another user a temporary password, to change at their next login (admin); "
        "their tokens stop working",
        access=Access.ADMIN,
        body=ResetPasswordSchema,
        answer=PasswordResetSchema,
        errors=(400, 403, 404),
        tag="auth",
        # The password is hashed (on the password threads) with no transaction open.
        transaction=Transaction.NONE,
    )
    async def post(self, call: Call) -> Answer:
        password = await users.reset_password(
            self.database, call.user, call.body["user_id"], publish=self.after_response
        )
        return {"message": "Password reset successfully", "temporary_password": password}


@route(r"/api/v1/auth/change-password")
class ChangePasswordHandler(BaseAPIHandler):
    @endpoint(
        "Change one's own password (the old one is needed unless an admin reset it): "
        "a new token, and every other token of the user stops working",
        access=Access.SIGNED_IN,
        body=ChangePasswordSchema,
        answer=LoggedInSchema,
        errors=(400, 401, 404),
        tag="auth",
        # Passwords are checked and hashed with no transaction open: the operation opens its own.
        transaction=Transaction.NONE,
        while_password_change_required=True,
    )
    async def patch(self, call: Call) -> Answer:
        token = await users.change_password(
            self.database,
            call.user,
            call.body["old_password"],
            call.body["new_password"],
            call.now,
            publish=self.after_response,
        )
        return {
            "message": "Password changed successfully",
            "access_token": token,
            "token_type": "bearer",
        }


@route(r"/api/v1/auth/login")
class LoginHandler(BaseAPIHandler):
    @endpoint(
        "Log in (429 with Retry-After after too many wrong passwords)",
        access=Access.PUBLIC,
        body=LoginSchema,
        answer=LoggedInSchema,
        errors=(400, 401, 429),
        tag="auth",
        # The password is checked with no transaction open: users.log_in opens its own.
        transaction=Transaction.NONE,
    )
    async def post(self, call: Call) -> Answer:
        body = call.body
        token = await users.log_in(
            self.database,
            self.login_throttle,
            body["username"],
            body["password"],
            self.request.remote_ip or "",
            body["session_id"],
            call.now,
        )
        return {"message": "Successful log in", "access_token": token, "token_type": "bearer"}

    @property
    def login_throttle(self) -> LoginThrottle:
        """The application's login throttle (one per application, made on first use)."""
        throttle = self.application.settings.get("login_throttle")
        if throttle is None:
            throttle = self.application.settings["login_throttle"] = LoginThrottle()
        return throttle  # type: ignore[no-any-return]


@route(r"/api/v1/auth/logout")
class LogoutHandler(BaseAPIHandler):
    @endpoint(
        "Log out: the token stops working, and every token refreshed from the same login",
        access=Access.SIGNED_IN,
        body=LogoutSchema,
        body_required=False,
        errors=(400,),
        tag="auth",
        while_password_change_required=True,
    )
    def post(self, call: Call) -> Answer:
        users.log_out(call.db, call.user, self.token_claims, call.body["session_id"], call.now)
        return {"message": "Successfully logged out"}


@route(r"/api/v1/auth/refresh-token")
class RefreshTokenHandler(BaseAPIHandler):
    @endpoint("A fresh token", access=Access.SIGNED_IN, answer=TokenSchema, tag="auth")
    def post(self, call: Call) -> Answer:
        token = users.refresh_token(call.db, call.user, self.token_claims, call.now)
        return {"access_token": token, "token_type": "bearer"}


@route(r"/api/v1/auth")
class CurrentUserHandler(BaseAPIHandler):
    # A stale token is as good as none here, rather than a 401: the client would loop.
    @endpoint(
        "The current user, or {} when not logged in",
        access=Access.PUBLIC,
        answer=CURRENT_USER,
        tag="auth",
        while_password_change_required=True,
    )
    def get(self, call: Call) -> Answer:
        if call.signed_in is None:
            return {}
        user = users.find_user(call.db, call.signed_in.id)
        # Deleted since its token was checked: as good as no token.
        return {} if user is None else UserSchema().dump(user)


@route(r"/api/v1/auth/users")
class UsersHandler(BaseAPIHandler):
    @endpoint(
        "Every user (admin)", access=Access.ADMIN, answer=UserListSchema, errors=(403,), tag="auth"
    )
    def get(self, call: Call) -> Answer:
        return list_users(call)


@route(r"/api/v2/users/token")
class ApiTokenHandler(BaseAPIHandler):
    """One's own personal API token, sent as `X-API-Key` by scripts and tools."""

    @endpoint(
        "Whether one has a personal API token",
        access=Access.SIGNED_IN,
        answer=HasApiTokenSchema,
        errors=(404,),
        tag="auth",
    )
    def get(self, call: Call) -> Answer:
        return {"has_token": users.has_api_token(call.db, call.user)}

    @endpoint(
        "A new personal API token, shown this once; the one it replaces stops working",
        access=Access.SIGNED_IN,
        answer=ApiTokenSchema,
        errors=(404,),
        tag="auth",
    )
    def post(self, call: Call) -> Answer:
        token = users.generate_api_token(call.db, call.user)
        return {"message": "API token generated successfully", "api_token": token}

    @endpoint(
        "Revoke one's personal API token: it stops working at once",
        access=Access.SIGNED_IN,
        errors=(400, 404),
        tag="auth",
    )
    def delete(self, call: Call) -> Answer:
        users.revoke_api_token(call.db, call.user)
        return {"message": "API token revoked successfully"}
