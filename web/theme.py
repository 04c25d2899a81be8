"""The kabupaten's accent colour as a small stylesheet of CSS custom properties.

The strict CSP allows no inline style, so the colour cannot go into a style attribute: pages
link this stylesheet (served under a versioned URL) after their own, and it overrides the
variables the portal (Pico), the public pages and the kiosk draw their colours from.
"""

# Pico sets its colours on ":root:not([data-theme=dark])"; "html:root:not(...)" outranks it
# (and the kiosk's ":root"), whichever stylesheet comes last.
SELECTOR = "html:root:not([data-theme=dark])"


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _darker(colour: str, amount: float = 0.2) -> str:
    """The colour mixed with `amount` of black: the hover shade of buttons and links."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in _rgb(colour))


def accent_stylesheet(accent: str | None) -> str:
    """The stylesheet for an accent "#rrggbb" (already checked), or a comment when none is set."""
    if not accent:
        return "/* Kinerja's own colours: no accent set. */\n"
    r, g, b = _rgb(accent)
    hover = _darker(accent)
    translucent = f"rgba({r}, {g}, {b}, 0.5)"
    properties = {
        # the portal and the public pages (static/css/app.css, Pico)
        "--kinerja-brand": accent,
        "--pico-primary": accent,
        "--pico-primary-background": accent,
        "--pico-primary-border": accent,
        "--pico-primary-underline": translucent,
        "--pico-primary-hover": hover,
        "--pico-primary-hover-background": hover,
        "--pico-primary-hover-border": hover,
        "--pico-primary-focus": translucent,
        "--pico-primary-inverse": "#fff",
        # the kiosk (static/css/kiosk.css)
        "--brand": accent,
        "--accent": accent,
        "--focus": accent,
    }
    body = "".join(f"  {name}: {value};\n" for name, value in properties.items())
    return f"/* The kabupaten's accent colour (Kelola → Identitas daerah). */\n{SELECTOR} {{\n{body}}}\n"
