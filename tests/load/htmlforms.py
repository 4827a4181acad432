"""What a browser would read from the portal's pages: hidden inputs, select options, links.
Shared by the locustfile and the restart probe (no locust import here: it patches sockets)."""

from __future__ import annotations

import html
import re

PASSWORD = "unionportal-demo"  # the demo accounts of `manage.py seed_demo`


def hidden_inputs(page: str) -> dict[str, str]:
    data = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'\bname="([^"]+)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name:
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return data


def select_options(page: str, select_name: str) -> list[str]:
    select = re.search(rf'<select\b[^>]*name="{select_name}"[^>]*>(.*?)</select>', page, re.S)
    if not select:
        return []
    return [v for v in re.findall(r'<option\b[^>]*value="([^"]+)"', select.group(1)) if v]


def page_links(page: str, prefix: str) -> list[str]:
    return sorted({html.unescape(h) for h in re.findall(rf'href="({prefix}[^"]*)"', page)})
