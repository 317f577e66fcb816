"""Render .docx templates with docxtpl in a safe, strict Jinja environment.

Always autoescape (docxtpl otherwise drops "&" and "<" silently) and StrictUndefined (a
missing value is an error, never a blank); sandboxed, because templates may come from users.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import vnformat as vn
from .errors import TemplateError


def make_environment(style: vn.WordStyle) -> SandboxedEnvironment:
    """The one Jinja environment every document is rendered with."""
    env = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    vn.register_filters(env, style)
    return env


class Renderer:
    """Renders named templates from one folder into .docx files."""

    def __init__(self, templates_dir: Path, style: vn.WordStyle) -> None:
        self.templates_dir = templates_dir
        self.env = make_environment(style)

    def path_of(self, name: str) -> Path:
        path = self.templates_dir / name
        if not path.is_file():
            raise TemplateError(f"không tìm thấy mẫu văn bản {path}")
        return path

    def render(self, name: str, context: dict[str, Any], dest: Path) -> None:
        """Render template `name` with `context` into `dest`."""
        from docxtpl import DocxTemplate  # heavy (lxml, python-docx): import only to render

        path = self.path_of(name)
        try:
            template = DocxTemplate(str(path))
            template.render(context, jinja_env=self.env, autoescape=True)
        except jinja2.TemplateError as exc:
            raise TemplateError(_describe(name, exc)) from exc
        except (KeyError, ValueError, OSError) as exc:
            # a .docx that is not a Word file, or a damaged one
            raise TemplateError(f"mẫu {name}: không đọc được tệp Word ({exc})") from exc
        template.save(str(dest))


def _describe(name: str, exc: jinja2.TemplateError) -> str:
    """Name the template, the problem, and the paragraph text around it."""
    if isinstance(exc, jinja2.UndefinedError):
        what = f"biến không có trong dữ liệu: {exc.message}"
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        what = f"lỗi cú pháp Jinja: {exc.message}"
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        what = f"mẫu truy cập thuộc tính không được phép: {exc}"
    else:
        what = str(exc)
    around = [
        line.strip()
        for line in getattr(exc, "docx_context", None) or []
        if isinstance(line, str) and line.strip()
    ]
    text = f"mẫu {name}: {what}"
    if around:
        text += "\n    gần đoạn: " + " | ".join(around)[:300]
    return text
