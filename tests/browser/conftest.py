"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Where no Chromium is installed the tests skip with a clear message, except under CI=true,
where a missing browser is a failure (CI must run them).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    found = os.environ.get("OFERTA_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    return next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        message = (
            "Chromium no está instalado: instale el paquete Debian 'chromium' "
            "(apt-get install chromium) para correr las pruebas de navegador."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true y {message}")
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        accept_downloads=True,
        locale="es-CO",
        viewport={"width": 1024, "height": 1366},
    )
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    yield new_page
    context.close()


def demo_reference_and_users() -> dict[str, str]:
    """Reference data, profile taxonomies, partner entities and the demo users (as `oferta
    setup --demo` loads them); returns each demo user's password by user name."""
    from oferta.accounts.demo_users import demo_users_ensure
    from oferta.offers.partners import partners_ensure
    from oferta.offers.taxonomies import taxonomies_ensure
    from oferta.territories.services import reference_data_load

    reference_data_load()
    taxonomies_ensure()
    partners_ensure()
    return {c.username: c.password for c in demo_users_ensure()}


@pytest.fixture
def reference_platform() -> dict[str, str]:
    """The reference data and the demo users (no catalogue)."""
    return demo_reference_and_users()


@pytest.fixture
def demo_platform() -> dict[str, str]:
    """The reference data, the demo users and the demo catalogue."""
    from oferta.offers.demo.loader import demo_catalogue_load

    credentials = demo_reference_and_users()
    demo_catalogue_load()
    return credentials


def log_in(page, username: str, password: str) -> None:
    """Sign in through the login form; lands on the catalogue."""
    page.goto("/cuentas/entrar/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/oferta/**")
