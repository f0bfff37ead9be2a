from django.test import Client

from disrupt.conftest import Cast


def test_it_redirects_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_signed_in_user_sees_the_dashboard(client: Client, cast: Cast) -> None:
    client.force_login(cast.focal_id)
    assert client.get("/").status_code == 200


def test_the_navigation_offers_the_audit_trail_only_to_its_readers(cast: Cast, client: Client) -> None:
    for member, offered in ((cast.secretariat, True), (cast.focal_id, True), (cast.investigator_id, False)):
        client.force_login(member)
        page = client.get("/").content.decode()
        assert ('href="/audit/"' in page) is offered, member.email
        assert 'href="/outcomes/"' in page
