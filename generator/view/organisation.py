"""Who publishes the handouts and the look they print with, as the view and the documents
use them: `settings` reads handouts.toml and makes these, the view prints the organisation
(templates/_macros.html) and the renderer adds the project's stylesheets and fonts. The
well-known licences' addresses and the contact's link are worked out here, where they are
printed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .addresses import bare_url

# Licences printed in the footer with their link; another licence is printed with
# `licence_url` when given, else its name alone.
LICENCES = {
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "Licence Ouverte 2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "Etalab 2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "GFDL 1.3": "https://www.gnu.org/licenses/fdl-1.3.html",
}
_CREATIVE_COMMONS = re.compile(r"^CC (BY(?:-NC)?(?:-SA|-ND)?) (4\.0|3\.0|2\.0)$", re.IGNORECASE)


@dataclass(frozen=True)
class Organisation:
    """Who publishes the handouts: printed on every handout (see templates/_macros.html)."""

    name: str | None = None
    logo_uri: str | None = None  # a checked picture, as a data: URI
    logo_alt: str | None = None
    website: str | None = None
    website_short: str | None = None  # without https:// and the last slash
    contact: str | None = None
    contact_href: str | None = None  # mailto: or tel:
    licence: str | None = None
    licence_url: str | None = None
    footer_text: str | None = None

    @property
    def licence_url_short(self) -> str | None:
        """The licence's address as printed: without https:// and the last slash."""
        if not self.licence_url:
            return None
        return bare_url(self.licence_url)

    def in_language(self, labels: Mapping[str, str]) -> Organisation:
        """The organisation as a sheet in another language prints it: without a `logo_alt`
        of its own, the logo is "Logo of NAME" in the sheet's language."""
        if self.logo_alt or not self.logo_uri:
            return self
        alt = labels["organisation_logo_alt"].format(name=self.name) if self.name \
            else labels["organisation_logo"]
        return replace(self, logo_alt=alt)

    @property
    def has_footer(self) -> bool:
        return bool(self.licence or self.website or self.contact or self.footer_text)


@dataclass(frozen=True)
class Project:
    """What the settings change in rendering, ready to use and small enough to travel to a
    worker process: nothing is read from disk after this (but theme templates)."""

    organisation: Organisation
    css: str  # custom properties and @font-face rules, after the built-in stylesheets
    stylesheets: tuple[tuple[str, str], ...] = ()  # theme stylesheets: (name, text)
    theme: str | None = None  # the theme folder, when there is one
    resources: frozenset[str] = frozenset()  # data: URIs the engine may load (logo, fonts)
    fingerprint: str = ""  # settings' values and theme files' bytes


def contact_href(contact: str) -> str | None:
    """The contact's link: mailto: for an e-mail address, tel: for a telephone number,
    None for anything else (printed as written)."""
    if re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", contact):
        return f"mailto:{contact}"
    digits = re.sub(r"[\s.()-]", "", contact)
    if re.match(r"^\+?\d{6,15}$", digits):
        return f"tel:{digits}"
    return None


def licence_url(name: str) -> str | None:
    """The address of a well-known licence, from its usual short name."""
    found = _CREATIVE_COMMONS.match(name.strip())
    if found:
        return (f"https://creativecommons.org/licenses/{found.group(1).lower()}/"
                f"{found.group(2)}/")
    for known, url in LICENCES.items():
        if known.casefold() == name.strip().casefold():
            return url
    return None
