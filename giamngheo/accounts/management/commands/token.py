"""`giamngheo token create USERNAME [--name NAME]` prints a new API token; `giamngheo token revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from giamngheo.accounts.models import ApiToken
from giamngheo.accounts.services import token_create, token_revoke, user_by_username


class Command(BaseCommand):
    help = "Tạo hoặc thu hồi mã truy cập API (Authorization: Bearer MÃ)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo mã mới cho tài khoản và in mã ra (chỉ hiện một lần)")
        create.add_argument("username")
        create.add_argument("--name", default="", help="Tên gợi nhớ của mã")
        revoke = sub.add_parser("revoke", help="Thu hồi mã theo phần đầu của mã")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            try:
                user = user_by_username(options["username"])
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from exc
            if not user.is_active:
                raise CommandError(f"Tài khoản {user.username} đang bị khoá.")
            _token, raw = token_create(user=user, name=options["name"] or "giamngheo token create")
            self.stdout.write(raw)
            return
        prefix = options["prefix"].strip()
        matches = list(ApiToken.objects.active().filter(prefix__startswith=prefix[:10])[:2])
        if len(prefix) < 6 or len(matches) != 1:
            raise CommandError("Không xác định được đúng một mã còn hiệu lực với phần đầu này.")
        token_revoke(token=matches[0])
        self.stdout.write(f"Đã thu hồi mã {matches[0].prefix}….")
