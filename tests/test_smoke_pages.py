from tests.conftest import sign_in


def test_start_page_lists_the_31_boards(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count("IJB") >= 30
    assert "Highland (lead agency)" in response.content.decode()


def test_rep_lands_on_their_home_page(client, rep_a1):
    response = sign_in(client, rep_a1).get("/home/", follow=True)
    assert response.redirect_chain[-1][0] == "/rep/"
    assert "Hello, Alice Rep" in response.content.decode()
