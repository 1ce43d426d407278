"""Answers many endpoints share."""

from __future__ import annotations

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    message = fields.String(required=True)


class MessageSchema(Schema):
    message = fields.String(required=True)


class CreatedSchema(Schema):
    id = fields.Integer(required=True)
    message = fields.String(required=True)
