"""What an SVG pictogram may hold: the allow-lists of elements, attributes and CSS functions,
and the check of every piece of CSS it carries.

A pictogram only draws: shapes, text, gradients, patterns, clips, masks, markers, filters and
copies (`<use>`) of its own parts. Anything else a browser would act on — scripts, event
handlers, links, animations (which can rewrite a link), elements of another language such as
XHTML's `<iframe>`, or a style that loads a file — is not on these lists, so it is refused
whatever its spelling: the lists name what is allowed, never what is forbidden. CSS is read
by tinycss2 (the parser WeasyPrint uses), which resolves CSS escapes (`\\75 rl(` is `url(`,
`@\\69mport` is `@import`) before anything is compared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import tinycss2

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# What drawing programs write inside <metadata> (Inkscape's plain SVG too): licence, author
# and title records, which no browser renders or fetches.
METADATA = frozenset({"http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                      "http://creativecommons.org/ns#", "http://purl.org/dc/elements/1.1/",
                      "http://purl.org/dc/terms/", "http://web.resource.org/cc/"})

ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "switch", "view",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "image", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
})
# Refused with their own message: they act rather than draw.
ACTIVE_ELEMENTS = frozenset({"script", "foreignObject"})
ANIMATIONS = frozenset({"animate", "animateColor", "animateMotion", "animateTransform", "set",
                        "mpath", "discard"})
# Elements whose href may hold an embedded raster picture (`data:image/png;base64,…`).
PICTURE_ELEMENTS = frozenset({"image", "feImage"})

# Attributes (without a namespace) whose values are names or numbers, never read as CSS.
PLAIN_ATTRIBUTES = frozenset({
    "id", "class", "lang", "role", "version", "baseProfile", "tabindex", "focusable",
    "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "aria-roledescription",
    "d", "points", "viewBox", "preserveAspectRatio", "type", "media",
})
# Attributes (without a namespace) read as CSS values: presentation attributes, geometry and
# the parameters of gradients, patterns, markers, text and filter primitives.
CSS_ATTRIBUTES = frozenset({
    "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "fx", "fy", "fr",
    "x1", "y1", "x2", "y2", "dx", "dy", "rotate", "pathLength", "transform",
    "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    "gradientUnits", "gradientTransform", "spreadMethod", "offset",
    "patternUnits", "patternContentUnits", "patternTransform", "clipPathUnits",
    "maskUnits", "maskContentUnits", "markerUnits", "markerWidth", "markerHeight",
    "refX", "refY", "orient", "viewTarget", "zoomAndPan", "overflow",
    "filterUnits", "primitiveUnits", "filterRes", "in", "in2", "result", "stdDeviation",
    "mode", "operator", "k1", "k2", "k3", "k4", "values", "tableValues", "slope", "intercept",
    "amplitude", "exponent", "radius", "baseFrequency", "numOctaves", "seed", "stitchTiles",
    "scale", "xChannelSelector", "yChannelSelector", "order", "kernelMatrix", "divisor",
    "bias", "targetX", "targetY", "edgeMode", "kernelUnitLength", "preserveAlpha",
    "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent", "azimuth",
    "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle",
    "requiredFeatures", "systemLanguage", "enable-background", "style",
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
    "color-interpolation", "color-interpolation-filters", "color-profile", "color-rendering",
    "direction", "display", "dominant-baseline", "fill", "fill-opacity", "fill-rule",
    "filter", "flood-color", "flood-opacity", "font", "font-family", "font-size",
    "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
    "glyph-orientation-horizontal", "glyph-orientation-vertical", "image-rendering",
    "isolation", "kerning", "letter-spacing", "lighting-color", "marker", "marker-end",
    "marker-mid", "marker-start", "mask", "mask-type", "mix-blend-mode", "opacity",
    "paint-order", "pointer-events", "shape-rendering", "stop-color", "stop-opacity",
    "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
    "text-rendering", "transform-box", "transform-origin", "unicode-bidi", "vector-effect",
    "visibility", "word-spacing", "writing-mode",
})
XML_ATTRIBUTES = frozenset({"space", "lang"})  # xml:base would change where hrefs point

# CSS functions a drawing uses: colours, arithmetic, transforms, filters, gradients, shapes,
# easing and the selectors' own. Not here, so refused: url() (checked apart), image(),
# image-set(), cross-fade(), element(), src(), paint(), expression(), attr() and the rest.
CSS_FUNCTIONS = frozenset({
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
    "color-mix", "light-dark", "device-cmyk", "icc-color",
    "calc", "min", "max", "clamp", "round", "mod", "rem", "abs", "sign", "sin", "cos", "tan",
    "asin", "acos", "atan", "atan2", "pow", "sqrt", "hypot", "log", "exp", "var",
    "matrix", "matrix3d", "translate", "translatex", "translatey", "translatez", "translate3d",
    "scale", "scalex", "scaley", "scalez", "scale3d", "rotate", "rotatex", "rotatey",
    "rotatez", "rotate3d", "skew", "skewx", "skewy", "perspective",
    "blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert",
    "opacity", "saturate", "sepia",
    "linear-gradient", "radial-gradient", "conic-gradient", "repeating-linear-gradient",
    "repeating-radial-gradient", "repeating-conic-gradient",
    "inset", "circle", "ellipse", "polygon", "path", "rect", "xywh",
    "cubic-bezier", "steps", "linear",
    "not", "is", "where", "has", "nth-child", "nth-last-child", "nth-of-type",
    "nth-last-of-type", "lang", "dir",
})
CSS_AT_RULES = frozenset({"media"})

_PICTURE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp)(;[^,]*)?,", re.IGNORECASE)


class StyleProblem(ValueError):
    """What a piece of CSS holds that a pictogram may not, in words for the author."""


def css_references(css: str, local: Callable[[str], str]) -> list[str]:
    """The `#id`s that `url(#id)` references in `css` (a style attribute, a presentation
    attribute or a `<style>` element) point at, after checking every at-rule and function.
    `local` turns a reference into its id, or refuses it (another file, an address).
    The walk keeps its own stack: CSS nested 100,000 brackets deep costs no recursion."""
    found: list[str] = []
    stack: list[Any] = list(reversed(tinycss2.parse_component_value_list(css,
                                                                          skip_comments=True)))
    while stack:
        token = stack.pop()
        kind = token.type
        if kind == "url":
            found.append(local(token.value))
        elif kind == "at-keyword":
            _check_at_rule(token.lower_value)
        elif kind == "function":
            name = token.lower_name
            if name == "url":
                strings = [item.value for item in token.arguments if item.type == "string"]
                found.append(local(strings[0] if strings else tinycss2.serialize(
                    token.arguments).strip() or "url()"))
            elif name not in CSS_FUNCTIONS:
                raise StyleProblem(f"has a style that uses {name}(), which a pictogram may "
                                   "not use: remove it, or save the picture again from your "
                                   "drawing program as plain SVG")
            else:
                stack.extend(reversed(token.arguments))
        elif kind in ("() block", "[] block", "{} block"):
            stack.extend(reversed(token.content))  # in the order written: the first is said
    return [reference for reference in found if reference]


def _check_at_rule(name: str) -> None:
    if name == "import":
        raise StyleProblem("has a style that imports another file (@import): remove it")
    if name == "font-face":
        raise StyleProblem("has a style that loads a font (@font-face): remove it (your "
                           "drawing program can turn the text into shapes)")
    if name not in CSS_AT_RULES:
        raise StyleProblem(f"has a style rule a pictogram may not use (@{name}): remove it")


def plain_attribute(namespace: str | None, local: str) -> bool:
    """An attribute whose value is a name, a number or path data, never read as CSS or as an
    address: allowed as it is."""
    if namespace is None:
        return local in PLAIN_ATTRIBUTES or local.startswith("data-")
    return namespace == XML and local in XML_ATTRIBUTES


def picture_data_type(value: str) -> str | None:
    """The picture type of a `data:` URI of an allowed raster type (png, jpeg, gif, webp),
    or None."""
    match = _PICTURE_DATA.match(value)
    return match.group(1).lower() if match else None


def shown_name(namespace: str | None, local: str, prefixes: Iterable[tuple[str | None, str]]
               ) -> str:
    """An element or attribute name as its author wrote it: `inkscape:label`, `html:iframe`."""
    if namespace == XML:
        return f"xml:{local}"
    for prefix, uri in prefixes:
        if uri == namespace and prefix:
            return f"{prefix}:{local}"
    return local
