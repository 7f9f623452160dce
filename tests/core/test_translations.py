"""English catalogue: pages switch language, Spanish stays the default, .po and .mo are complete."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from oferta.accounts.models import Role, User

LOGIN = "/cuentas/entrar/"
CATALOGUE = "/oferta/"
REFERRALS = "/remisiones/"
SET_LANGUAGE = "/i18n/setlang/"
CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    # LocaleMiddleware leaves the last request's language active in the thread; later tests that
    # call services directly expect the Spanish default.
    yield
    translation.deactivate()


@pytest.fixture
def analyst(db) -> User:
    return User.objects.create_user(
        username="analista.nacional", password="Cafetal-Verde-2024!", role=Role.NATIONAL_ANALYST
    )


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_login_page_is_in_english_for_an_english_browser(client, db):
    # when a browser that prefers English opens the login page
    html = page(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en"))
    # then the page is in English
    assert '<html lang="en">' in html
    for english in ("Sign in to oferta", "Password", "Username", "Skip to content"):
        assert english in html
    for spanish in ("Ingresar a oferta", "Contraseña", "Ir al contenido"):
        assert spanish not in html


def test_login_page_stays_in_spanish_by_default(client, db):
    # when a browser with no language preference opens the login page
    html = page(client.get(LOGIN))
    # then the page is in Spanish, as before the catalogue existed
    assert '<html lang="es-co">' in html
    assert "Ingresar a oferta" in html
    assert "Contraseña" in html
    assert "Sign in to oferta" not in html


def test_footer_has_a_language_selector_without_inline_script(client, db):
    html = page(client.get(LOGIN))
    # then the footer posts to set_language with both languages and a submit button
    form = html[html.index('<form class="lang-form"') :]
    form = form[: form.index("</form>")]
    assert f'action="{SET_LANGUAGE}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<option value="es-co" lang="es-co" selected>' in form
    assert '<option value="en" lang="en">English</option>' in form
    assert '<button type="submit">Cambiar</button>' in form
    assert "onchange" not in form
    assert "<script>" not in html


def test_choosing_english_in_the_selector_translates_the_catalogue(client, analyst):
    client.force_login(analyst)
    # when the user picks English in the footer form
    response = client.post(SET_LANGUAGE, {"language": "en", "next": CATALOGUE})
    assert response.status_code == 302
    assert response["Location"] == CATALOGUE
    # then the catalogue (and the shared layout) is in English on the next visits
    html = page(client.get(CATALOGUE))
    assert '<html lang="en">' in html
    for english in ("Offer catalogue", "Catalogue filters", "Referrals", "Sign out", "Change"):
        assert english in html
    for spanish in ("Catálogo de oferta", "Filtros del catálogo", "Salir", "Cambiar"):
        assert spanish not in html
    assert '<option value="en" lang="en" selected>' in html


def test_referrals_review_page_is_in_english_for_an_english_browser(client, analyst):
    client.force_login(analyst)
    html = page(client.get(REFERRALS, HTTP_ACCEPT_LANGUAGE="en"))
    for english in ("Referral filters", "There are no matching referrals.", "Follow-up"):
        assert english in html
    for spanish in ("Filtros de remisiones", "No hay remisiones que coincidan.", "Seguimiento"):
        assert spanish not in html


def test_referrals_review_page_stays_in_spanish_by_default(client, analyst):
    client.force_login(analyst)
    html = page(client.get(REFERRALS))
    assert "Filtros de remisiones" in html
    assert "Referral filters" not in html


# --- the catalogue files -------------------------------------------------------------------------

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: keywords (msgctxt, msgid, msgid_plural, msgstr, msgstr[n]) and flags.

    Obsolete entries (``#~``) are left out, as msgfmt does.
    """
    entries: list[dict] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set()}
        key = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                entry[key] += _unquote(_STRING.match(line).group(1))
            else:
                key, rest = line.split(" ", 1)
                entry[key] = _unquote(_STRING.match(rest).group(1))
        if "msgid" in entry:
            entries.append(entry)
    return entries


def messages(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["msgid"] != ""]


def test_english_po_has_no_untranslated_or_fuzzy_entries():
    entries = messages(read_po(CATALOGUE_DIR / "django.po"))
    assert len(entries) > 1000
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [
        e["msgid"]
        for e in entries
        if not all(v for k, v in e.items() if k.startswith("msgstr"))
        or not any(k.startswith("msgstr") for k in e)
    ]
    assert fuzzy == []
    assert untranslated == []


def test_english_po_header_is_not_fuzzy_and_names_the_language():
    header = read_po(CATALOGUE_DIR / "django.po")[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_english_mo_is_compiled_from_the_current_po():
    entries = messages(read_po(CATALOGUE_DIR / "django.po"))
    with (CATALOGUE_DIR / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = compiled._catalog  # msgid (or (msgid, n) for plurals) -> msgstr
    compiled_ids = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    source_ids = {
        (f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]) for e in entries
    }
    # then the .mo holds exactly the .po's messages, with the same translations
    assert len(compiled_ids) == len(source_ids)
    assert compiled_ids == source_ids
    stale = []
    for e in entries:
        msgid = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            pairs = [(catalog.get((msgid, n)), e.get(f"msgstr[{n}]")) for n in (0, 1)]
        else:
            pairs = [(catalog.get(msgid), e["msgstr"])]
        stale += [e["msgid"] for got, want in pairs if got != want]
    assert stale == []
