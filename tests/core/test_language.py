from django.conf import settings


def test_it_speaks_indonesian_to_an_english_browser(client, db):
    response = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Nama pengguna" in response.content.decode()


def test_it_switches_to_english_when_the_user_chooses_it(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/akun/masuk/")
    assert page["Content-Language"] == "en"
    assert "Username" in page.content.decode()
