from reminders.checks import site_url_for_links

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_production_sending_mail_without_the_site_url_is_warned(settings):
    settings.DEBUG, settings.EMAIL_BACKEND = False, SMTP
    settings.ITA_SITE_URL = "http://127.0.0.1:8000"
    assert [w.id for w in site_url_for_links(None)] == ["reminders.W001"]
    settings.ITA_SITE_URL = "https://ita.example.go.th"
    assert site_url_for_links(None) == []
    settings.ITA_SITE_URL = "http://127.0.0.1:8000"
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    assert site_url_for_links(None) == []
