"""HTML drafts in and out: the agent's document is kept, and only its words are changed.

Rich helpdesk editors send HTML. The pipeline works on Markdown (the model reads and writes it well), so an
HTML draft is turned into Markdown on the way in: paragraphs, ``<div>`` lines, table cells and line breaks
as lines, lists, links, bold and italics as Markdown. On the way out the rewritten Markdown is not turned
into a new document: its visible text is patched, line by line and word by word, into the text of the
agent's own document (``patch``), so the editor's structure, classes, styles, images and table cells stay as
they were by construction. Only what the rewrite added where the document has no line for it (a closing
paragraph) is new markup, made like its neighbour.

Whatever comes back is sanitised with nh3: no script, no style element, no event handler, no javascript:
URL, and only presentational CSS properties in style attributes.
"""

from __future__ import annotations

import copy
import difflib
import html as html_module
import re
from dataclasses import dataclass, field

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction
from markdown_it import MarkdownIt
from markdownify import MarkdownConverter

# What Markdown can say: the rewrite's own markup, and the fallback when a document cannot be patched.
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "b", "em", "i", "u", "s", "blockquote",
                "code", "pre", "h1", "h2", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What an agent's own document may keep: the structure helpdesk editors write (lines as <div>, tables for
# order summaries, a logo in the signature, spans and fonts with a colour).
DOCUMENT_TAGS = ALLOWED_TAGS | {"div", "span", "font", "img", "hr", "h5", "h6", "sub", "sup", "small", "mark",
                                "del", "ins", "strike", "table", "caption", "colgroup", "col", "thead", "tbody",
                                "tfoot", "tr", "td", "th", "figure", "figcaption", "dl", "dt", "dd"}
DOCUMENT_ATTRIBUTES = {
    "*": {"class", "style", "dir", "lang", "align", "title"},
    "a": {"href", "target"}, "img": {"src", "alt", "width", "height"}, "font": {"color", "face", "size"},
    "ol": {"start", "type"}, "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width"}, "col": {"span", "width"},
    "table": {"width", "border", "cellpadding", "cellspacing"},
}
STYLE_PROPERTIES = {"color", "background-color", "font-weight", "font-style", "font-size", "font-family",
                    "text-align", "text-decoration", "text-indent", "line-height", "vertical-align",
                    "margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
                    "padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
                    "border", "border-collapse", "width", "height", "list-style-type", "white-space"}
# an inline image may be embedded (data:image/…) or an email attachment (cid:); no other data: URL survives
DOCUMENT_URL_SCHEMES = ALLOWED_URL_SCHEMES | {"cid", "data"}

# Elements that end a line of text. Everything else (b, a, span, font…) is inline and rides with its words.
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
              "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption",
              "dl", "dt", "dd"}

# commonmark + single newlines as <br>: an agent's line break inside a paragraph stays a line break
_markdown = MarkdownIt("commonmark", {"breaks": True, "html": False}).disable("image")


def sanitize_html(html: str) -> str:
    """Keep only what Markdown can say, and safe links."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
                     link_rel="noopener noreferrer")


def _safe_url(tag: str, attribute: str, value: str) -> str | None:
    if value.strip().lower().startswith("data:") and not (tag == "img" and attribute == "src"
                                                          and value.strip().lower().startswith("data:image/")):
        return None
    return value


def sanitize_document(html: str) -> str:
    """Keep an agent's document as their editor made it, less anything that could run or leak."""
    return nh3.clean(html, tags=DOCUMENT_TAGS, attributes=DOCUMENT_ATTRIBUTES, url_schemes=DOCUMENT_URL_SCHEMES,
                     attribute_filter=_safe_url, filter_style_properties=STYLE_PROPERTIES,
                     link_rel="noopener noreferrer")


class _DraftConverter(MarkdownConverter):
    """Markdown a model reads naturally: '-' bullets, ** and *, plain newlines for <br>, a table cell as a
    line of its own (a pipe table would reach the model as one sentence), and no images (they stay in the
    document, which the rewrite is patched into)."""

    def convert_br(self, el, text, parent_tags=None, **kwargs):
        return "\n"

    def convert_img(self, el, text, parent_tags=None, **kwargs):
        return ""

    def convert_td(self, el, text, parent_tags=None, **kwargs):
        return f"\n\n{text.strip()}\n\n"

    convert_th = convert_td

    def convert_tr(self, el, text, parent_tags=None, **kwargs):
        return text

    convert_table = convert_thead = convert_tbody = convert_tfoot = convert_tr


def html_to_markdown(html: str) -> str:
    # Sanitise first: a script or style element's content is not part of the reply.
    clean = sanitize_document(html)
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


def markdown_text_content(text: str) -> str:
    """The words of a piece of the pipeline's Markdown as a reader sees them ('[policy](url)' → 'policy')."""
    return html_text_content(markdown_to_html(text))


def _block_ends_as_newlines(html: str) -> str:
    """Block ends and <br> become newlines before the tags go, so words of two paragraphs stay apart."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", html)
    return re.sub(r"(?i)</(?:p|div|li|h[1-6]|blockquote|pre|td|th|tr)>", "\n", text)


# -- patching the rewrite into the agent's document ---------------------------------------------------------

def patch(document: str, rewritten: str) -> str:
    """The agent's HTML ``document`` with its visible text changed into that of ``rewritten`` (Markdown).

    Three lists of lines are aligned: the document's, those of the pipeline's Markdown of it, and the
    rewrite's (the pipeline keeps the draft's order and layout). A line the rewrite did not change is not
    touched, even where Markdown shows it differently ("1. " as a list number); a changed line is patched
    word by word into the text nodes it came from, so its links and bold stay where they were; a line the
    rewrite left out goes with its markup; a line it added is made like its neighbour. If the result would
    not read as planned, the rewrite's own HTML is returned instead: the words are what must be right."""
    new_html = markdown_to_html(rewritten)
    target = _Document(sanitize_document(document))
    before = _lines(BeautifulSoup(markdown_to_html(html_to_markdown(document)), "html.parser"))
    after = _lines(BeautifulSoup(new_html, "html.parser"))
    # (lines are compared by identity: two lines with the same words are still two lines)
    in_document = {old: line for line, old in _align(target.lines, before) if line and old}
    outcome: dict[_Line, str | None] = {}       # a document line → its new words, None where it goes
    added: dict[_Line, list[_Line]] = {}        # a document line → the rewrite's lines added after it
    head: list[_Line] = []                      # lines added before the first that stays
    anchor = None
    for old, new in _align(before, after):
        line = in_document.get(old) if old is not None else None
        if old is not None and line is None:
            continue                            # not in the document (Markdown's own): nothing to do
        if line is None:
            (added.setdefault(anchor, []) if anchor else head).append(new)
        elif new is None:
            outcome[line] = None
        else:
            if old.text != new.text:
                outcome[line] = new.text
            anchor = line
    staying = [line for line in target.lines if outcome.get(line, "") is not None]
    if head and not staying:
        return new_html
    expected = [new.text for new in head]
    for line in target.lines:
        text = outcome.get(line, line.text)
        expected += ([text] if text is not None else []) + [new.text for new in added.get(line, [])]
    if head:
        target.insert_before(staying[0], head)
    for line in list(target.lines):
        if line in outcome:
            if outcome[line] is None:
                target.remove(line)
            else:
                line.patch(outcome[line])
        if line in added:
            target.insert_after(line, added[line])
    patched = sanitize_document(str(target.soup)).strip()
    if [line.text for line in _lines(BeautifulSoup(patched, "html.parser"))] != expected:
        return new_html
    return patched


# a line in one of these is a cell or an item: a line added next to it is a paragraph after the table or list
_CELLS = {"li", "td", "th", "tr", "dt", "dd", "caption", "figcaption", "thead", "tbody", "tfoot"}
_FRAMES = {"ul", "ol", "table", "dl", "figure"}


@dataclass(eq=False)
class _Line:
    """A run of text between two line ends (a block element's edge or a <br>), as the reader sees it.

    ``text`` is the words with every run of white space as one space; ``where`` holds, for each of its
    characters, the text node and the slice of that node's string it stands for, so an edit of the text
    can be made in the nodes."""

    container: Tag
    nodes: list[NavigableString] = field(default_factory=list)
    text: str = ""
    where: list[tuple[int, int, int]] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)

    def add(self, node: NavigableString) -> None:
        index = len(self.nodes)
        self.nodes.append(node)
        self.strings.append(str(node))
        for match in re.finditer(r"\s+|\S", str(node)):
            if match.group().isspace():
                if not self.text or self.text.endswith(" "):
                    continue  # white space at a line's start, or after white space, is not seen
                self.text += " "
            else:
                self.text += match.group()
            self.where.append((index, match.start(), match.end()))

    def close(self) -> None:
        while self.text.endswith(" "):
            self.text = self.text[:-1]
            self.where.pop()

    @property
    def first(self) -> Tag | NavigableString:
        """The container's child where the line starts (its first text node, or the inline element around it;
        a node whose words all went, with its bold, is no longer in the document)."""
        return _child_of(self.container, next(node for node in self.nodes if getattr(node, "parent", None) is not None))

    @property
    def last(self) -> Tag | NavigableString:
        return _child_of(self.container, next(node for node in reversed(self.nodes) if getattr(node, "parent", None) is not None))

    def alone(self, lines: list["_Line"]) -> bool:
        return sum(line.container is self.container for line in lines) == 1

    def patch(self, new: str) -> None:
        """Make the line read ``new``, word by word, in the nodes its words are in. A link's words are a fact
        the rewrite keeps: found again in ``new``, they stay the link's, and the words around are matched
        around them (a plain word diff could move "confusion" into the link where "FAQ" was)."""
        edits = []  # (start, end, new words) in the line's text
        for (a0, a1), (b0, b1) in self._segments(new):
            old_tokens, new_tokens = _tokens(self.text[a0:a1]), _tokens(new[b0:b1])
            old_starts, new_starts = _starts(old_tokens), _starts(new_tokens)
            # words are matched without the space after them ("closed." at a line's end is "closed. " before
            # more words); where only that space differs, the space alone is changed
            matcher = difflib.SequenceMatcher(None, [t.strip() or " " for t in old_tokens],
                                              [t.strip() or " " for t in new_tokens], autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "equal":
                    edits.append((a0 + old_starts[i1], a0 + old_starts[i2], new[b0 + new_starts[j1]:b0 + new_starts[j2]]))
                    continue
                edits += [(a0 + old_starts[i], a0 + old_starts[i + 1], new_tokens[j])
                          for i, j in zip(range(i1, i2), range(j1, j2)) if old_tokens[i] != new_tokens[j]]
        for start, end, inserted in reversed(edits):  # from the end, so earlier offsets stay true
            node, offset = self._place(start, end)
            for index, first, last in sorted(self.where[start:end], key=lambda w: (w[0], -w[1])):
                self.strings[index] = self.strings[index][:first] + self.strings[index][last:]
            self.strings[node] = self.strings[node][:offset] + inserted + self.strings[node][offset:]
        self._write()

    def _segments(self, new: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The stretches of the old and the new line between the link texts both have, pairwise."""
        segments, old_at, new_at = [], 0, 0
        for start, end in self._links():
            found = new.find(self.text[start:end], new_at)
            if found < 0:
                return [((0, len(self.text)), (0, len(new)))]
            segments.append(((old_at, start), (new_at, found)))
            old_at, new_at = end, found + end - start
        return segments + [((old_at, len(self.text)), (new_at, len(new)))]

    def _links(self) -> list[tuple[int, int]]:
        spans: list[list] = []
        for at, (node, _, _) in enumerate(self.where):
            link = self.nodes[node].find_parent("a")
            if link is None or self.container not in link.parents:
                continue
            if spans and spans[-1][0] is link and spans[-1][2] == at:
                spans[-1][2] = at + 1
            elif not self.text[at].isspace():
                spans.append([link, at, at + 1])
        return [(start, end) for _, start, end in spans]

    def _place(self, start: int, end: int) -> tuple[int, int]:
        """Where words put in at ``start`` go: in the plainest node of what they replace, or, where they only
        add, beside the plainer of the two neighbours (not inside a link or bold)."""
        if end > start:  # anywhere in what goes: the plainest node of it (words replacing "<b>Obviously</b>
            # you missed" are not bold)
            node, offset, _ = min(self.where[start:end], key=lambda w: _depth(self.nodes[w[0]], self.container))
            return node, offset
        before = self.where[start - 1] if start > 0 else None
        after = self.where[start] if start < len(self.where) else None
        if before is None and _depth(self.nodes[after[0]], self.container):
            return self._plain_node(at_start=True), 0   # an opener before "<b>Order 123</b> is late." is not bold
        if after is None and _depth(self.nodes[before[0]], self.container):
            return self._plain_node(at_start=False), 0  # nor is a sentence added after "… <a>our FAQ</a>."
        if before is None or (after is not None and _depth(self.nodes[after[0]], self.container)
                              < _depth(self.nodes[before[0]], self.container)):
            return after[0], after[1]
        return before[0], before[2]

    def _plain_node(self, at_start: bool) -> int:
        """An empty text node of the line's own, before its first or after its last inline element."""
        node = NavigableString("")
        if not at_start:
            self.last.insert_after(node)
            self.nodes.append(node)
            self.strings.append("")
            return len(self.nodes) - 1
        self.first.insert_before(node)  # (the nodes stay in reading order)
        self.nodes.insert(0, node)
        self.strings.insert(0, "")
        self.where = [(index + 1, first, last) for index, first, last in self.where]
        return 0

    def empty(self) -> None:
        self.strings = ["" for _ in self.strings]
        self._write()

    def _write(self) -> None:
        for index, node in enumerate(self.nodes):
            if self.strings[index] != str(node):
                replacement = NavigableString(self.strings[index])
                node.replace_with(replacement)
                self.nodes[index] = replacement
                _drop_if_empty(replacement.parent, self.container)


def _child_of(container: Tag, node) -> Tag | NavigableString:
    while node.parent is not container:
        node = node.parent
    return node


def _drop_if_empty(element: Tag, container: Tag) -> None:
    """An inline element (bold, a link, a span) whose words all went goes too."""
    while element is not container and element is not None and not _shows(element):
        parent = element.parent
        element.decompose()
        element = parent


def _shows(element: Tag) -> bool:
    return bool(element.get_text().strip()) or element.find("img") is not None


def _tokens(text: str) -> list[str]:
    # a word with the space after it: spaces alone would match everywhere and cut a rewritten stretch into
    # single words, each put into whatever bold or link the old word was in
    return re.findall(r"\w+\s*|[^\w\s]\s*|\s+", text)


def _starts(tokens: list[str]) -> list[int]:
    starts, at = [], 0
    for token in tokens:
        starts.append(at)
        at += len(token)
    return starts + [at]


def _depth(node: NavigableString, container: Tag) -> int:
    depth, parent = 0, node.parent
    while parent is not None and parent is not container:
        depth += 10 if parent.name == "a" else 1  # words added next to a link stay out of it
        parent = parent.parent
    return depth


def _lines(root: Tag) -> list[_Line]:
    """The lines of a document, in reading order."""
    lines: list[_Line] = []
    current: list[_Line | None] = [None]

    def end() -> None:
        line = current[0]
        if line is not None:
            line.close()
            if line.text:
                lines.append(line)
        current[0] = None

    def walk(node: Tag, container: Tag) -> None:
        for child in list(node.children):
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                if current[0] is None:
                    if not child.strip():
                        continue
                    current[0] = _Line(container)
                current[0].add(child)
            elif child.name == "br":
                end()
            elif child.name in BLOCK_TAGS:
                end()
                walk(child, child)
                end()
            else:
                walk(child, container)

    walk(root, root)
    end()
    return lines


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _align(a: list[_Line], b: list[_Line]) -> list[tuple[_Line | None, _Line | None]]:
    """Pairs of lines in order: equal lines with each other, changed ones by the share of their words."""
    pairs: list[tuple[_Line | None, _Line | None]] = []
    matcher = difflib.SequenceMatcher(None, [line.text for line in a], [line.text for line in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(a[i1:i2], b[j1:j2])
        else:
            pairs += _align_changed(a[i1:i2], b[j1:j2])
    return pairs


def _align_changed(a: list[_Line], b: list[_Line]) -> list[tuple[_Line | None, _Line | None]]:
    """The order-keeping pairing of changed lines with the most words in common (or the same link); a line
    that shares under a quarter of its words with any is on its own (left out, or added)."""
    def similar(x: _Line, y: _Line) -> float:
        ratio = difflib.SequenceMatcher(None, _words(x.text), _words(y.text), autojunk=False).ratio()
        if any(x.text[start:end] in y.text for start, end in x._links()):
            ratio = max(ratio, 0.5)  # the same link: the same line, however much of it was rewritten
        return ratio if ratio >= 0.25 else 0.0

    best = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    step = [[""] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            if i == 0 or j == 0:
                step[i][j] = "a" if i else "b"
                continue
            options = [(best[i - 1][j], "a"), (best[i][j - 1], "b")]
            score = similar(a[i - 1], b[j - 1])
            if score:
                options.append((best[i - 1][j - 1] + score, "pair"))
            best[i][j], step[i][j] = max(options)
    pairs: list[tuple[_Line | None, _Line | None]] = []
    i, j = len(a), len(b)
    while i or j:
        if step[i][j] == "pair":
            pairs.append((a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif step[i][j] == "b":
            pairs.append((None, b[j - 1]))
            j -= 1
        else:
            pairs.append((a[i - 1], None))
            i -= 1
    return pairs[::-1]


class _Document:
    """The agent's document, parsed, and the edits that make it read as the rewrite."""

    def __init__(self, html: str):
        self.soup = BeautifulSoup(html, "html.parser")
        self.lines = _lines(self.soup)

    def remove(self, line: _Line) -> None:
        """A line left out goes with its markup: its element if it was the only line in it, else its
        line break."""
        alone = line.alone(self.lines)
        first, last = line.first, line.last
        after, before = _breaks_after(last), _breaks_before(first)
        line.empty()
        container = line.container
        if alone and container is not self.soup and container.name not in {"td", "th"}:
            while container.parent is not None and container.parent is not self.soup \
                    and container.parent.name not in {"td", "th"} and len(_shown(container.parent)) == 1:
                container = container.parent   # a list whose one item goes, goes with it
            container.decompose()
        else:  # the wider of the two breaks around it stays between its neighbours
            for br in (before if before and len(before) <= len(after) or not after else after):
                br.decompose()

    def insert_after(self, line: _Line, added: list[_Line]) -> None:
        if line.alone(self.lines) and line.container is not self.soup:
            anchor = _frame(line.container)
            for new in added:
                element = self._like(anchor, new)
                if isinstance(anchor.next_sibling, NavigableString) and not anchor.next_sibling.strip():
                    anchor.insert_after(NavigableString(str(anchor.next_sibling)))  # the document's own layout
                    anchor = anchor.next_sibling
                anchor.insert_after(element)
                anchor = element
            return
        breaks = _breaks_after(line.last)
        anchor = breaks[-1] if breaks else line.last
        separator = len(breaks) or len(_breaks_before(line.first)) or 2
        for new in added:
            gap = [self.soup.new_tag("br") for _ in range(separator)]
            # the last line of its element: the break goes before the new words
            for piece in (_content(new) + gap if breaks else gap + _content(new)):
                anchor.insert_after(piece)
                anchor = piece

    def insert_before(self, line: _Line, added: list[_Line]) -> None:
        if line.alone(self.lines) and line.container is not self.soup:
            anchor = _frame(line.container)
            for new in added:
                anchor.insert_before(self._like(anchor, new))
            return
        separator = len(_breaks_after(line.last)) or 2
        first = line.first
        for new in added:
            for piece in _content(new) + [self.soup.new_tag("br") for _ in range(separator)]:
                first.insert_before(piece)

    def _like(self, anchor: Tag, new: _Line) -> Tag:
        """A paragraph made like the element it follows (its tag and classes), or a plain one after a table
        or list; its words and their links or bold are the rewrite's."""
        if anchor.name in _FRAMES:
            element = self.soup.new_tag("p")
        else:
            element = self.soup.new_tag(anchor.name, attrs=dict(anchor.attrs))
        for piece in _content(new):
            element.append(piece)
        return element


def _content(line: _Line) -> list:
    """Copies of the nodes that make a line of the rewrite's HTML: its words, with their links and bold."""
    pieces, node = [], line.first
    while node is not None:
        pieces.append(copy.copy(node))
        if node is line.last:
            break
        node = node.next_sibling
    return pieces


def _frame(container: Tag) -> Tag:
    """The element a line added next to ``container`` follows: the container, or the table or list it is in."""
    if container.name in _CELLS:
        frame = container.find_parent(list(_FRAMES))
        return frame if frame is not None else container
    return container


def _shown(element: Tag) -> list:
    return [child for child in element.children
            if not isinstance(child, NavigableString) or child.strip()]


def _breaks_after(node) -> list[Tag]:
    return _breaks(node.next_siblings)


def _breaks_before(node) -> list[Tag]:
    return _breaks(node.previous_siblings)


def _breaks(siblings) -> list[Tag]:
    """The run of <br> next to a node (white space between them aside), nearest first."""
    breaks = []
    for sibling in siblings:
        if isinstance(sibling, NavigableString) and not sibling.strip():
            continue
        if getattr(sibling, "name", None) != "br":
            break
        breaks.append(sibling)
    return breaks
