"""The application starts: the login page renders in Spanish and pages need a session."""


def test_login_page_renders_in_spanish(client, db):
    # given no session / when the login page is requested
    response = client.get("/cuentas/entrar/")
    # then it answers with the Spanish form
    assert response.status_code == 200
    assert "Ingresar a oferta" in response.content.decode()


def test_catalogue_requires_login(client, db):
    response = client.get("/oferta/")
    assert response.status_code == 302
    assert "/cuentas/entrar/" in response["Location"]


def test_unknown_page_answers_404_in_spanish(client, db):
    # given a signed-in user / when a page that does not exist is requested
    from oferta.accounts.models import User

    client.force_login(User.objects.create_user("ana", password="x" * 12))
    response = client.get("/oferta/no-existe/")
    # then the error page is the Spanish one
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_api_docs_are_served_from_our_own_static_files(client, db):
    # given closed networks and a CSP of 'self' / when the OpenAPI UI is requested
    response = client.get("/api/docs")
    # then it loads Swagger UI from our static files, never from a CDN
    body = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
