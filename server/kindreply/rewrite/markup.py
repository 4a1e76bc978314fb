"""HTML drafts in and out: HTML to Markdown for the model, Markdown back to sanitised HTML.

Rich helpdesk editors send HTML. The model reads and writes Markdown well, so an HTML draft is turned
into Markdown (paragraphs, line breaks, lists, links, bold, italics), rewritten, and turned back.
Whatever comes back is sanitised with nh3: no script, no style, no event handler, no javascript: URL.
"""

from __future__ import annotations

import html as html_module
import re

import nh3
from markdown_it import MarkdownIt
from markdownify import MarkdownConverter

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "b", "em", "i", "u", "s", "blockquote",
                "code", "pre", "h1", "h2", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# commonmark + single newlines as <br>: an agent's line break inside a paragraph stays a line break
_markdown = MarkdownIt("commonmark", {"breaks": True, "html": False}).disable("image")


def sanitize_html(html: str) -> str:
    """Keep only formatting tags and safe links."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
                     link_rel="noopener noreferrer")


class _DraftConverter(MarkdownConverter):
    """Markdown a model reads naturally: '-' bullets, ** and *, and plain newlines for <br>."""

    def convert_br(self, el, text, parent_tags=None, **kwargs):
        return "\n"


def html_to_markdown(html: str) -> str:
    # Sanitise first: a script or style element's content is not part of the reply.
    clean = sanitize_html(html)
    text = _DraftConverter(
        heading_style="ATX", bullets="-", strong_em_symbol="*",
        escape_underscores=False, escape_asterisks=False, escape_misc=False,
    ).convert(clean)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def markdown_to_html(text: str) -> str:
    return sanitize_html(_markdown.render(text)).strip()


def html_text_content(html: str) -> str:
    """The visible text of an HTML fragment: paragraphs and line breaks as newlines, entities decoded."""
    return html_module.unescape(nh3.clean(_block_ends_as_newlines(html), tags=set())).strip()


def _block_ends_as_newlines(html: str) -> str:
    """Block ends and <br> become newlines before the tags go, so words of two paragraphs stay apart."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", html)
    return re.sub(r"(?i)</(?:p|div|li|h[1-6]|blockquote|pre)>", "\n", text)
