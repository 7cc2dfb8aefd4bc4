"""Votes: one per browser and item, deduplicated on the server, limited per address."""
import re
import uuid

from spplus.chassis.testing import json_body

from spplus.publication.bootstrap import spec


def test_similar_vote_counts_once_per_browser(publication, seed, events):
    story = events.published()
    seed(story)
    url = f"/api/v1/experiences/{story['experience_id']}/similar"
    first_browser = publication.client
    first = first_browser.post(url)
    assert first.status_code == 200 and json_body(first) == {"counted": True, "similar_count": 1}
    assert "spplus_voter=" in first.headers["Set-Cookie"] and "HttpOnly" in first.headers["Set-Cookie"]
    again = first_browser.post(url)
    assert json_body(again) == {"counted": False, "similar_count": 1}
    other_browser = publication.app.test_client()
    assert json_body(other_browser.post(url)) == {"counted": True, "similar_count": 2}
    assert json_body(publication.client.get(f"/api/v1/experiences/{story['experience_id']}"))["similar_count"] == 2


def test_a_vote_posted_by_another_site_is_refused(publication, seed, events):
    story = events.published()
    answer = events.response(story["experience_id"])
    seed(story, responses=[answer])
    cross_site = {"Sec-Fetch-Site": "cross-site"}
    similar = f"/api/v1/experiences/{story['experience_id']}/similar"
    refused = publication.app.test_client().post(similar, headers=cross_site, content_type="text/plain")
    assert refused.status_code == 403 and "depuis le site" in json_body(refused)["message"]
    useful = publication.app.test_client().post(f"/api/v1/responses/{answer['response_id']}/votes",
                                                json={"useful": True}, headers=cross_site)
    assert useful.status_code == 403
    same_site = publication.app.test_client().post(similar, headers={"Sec-Fetch-Site": "same-origin"})
    assert json_body(same_site) == {"counted": True, "similar_count": 1}


def test_useful_vote_per_answer(publication, seed, events):
    story = events.published()
    answer = events.response(story["experience_id"])
    seed(story, responses=[answer])
    url = f"/api/v1/responses/{answer['response_id']}/votes"
    browser = publication.client
    assert json_body(browser.post(url, json={"useful": True})) == {"counted": True, "useful_yes": 1, "useful_no": 0}
    assert json_body(browser.post(url, json={"useful": False})) == {"counted": False, "useful_yes": 1, "useful_no": 0}
    assert json_body(publication.app.test_client().post(url, json={"useful": False}))["useful_no"] == 1
    bad = browser.post(url, json={"useful": "peut-être"})
    assert bad.status_code == 422 and "useful" in json_body(bad)["errors"]["json"]
    assert browser.post(f"/api/v1/responses/{uuid.uuid4()}/votes", json={"useful": True}).status_code == 404
    assert browser.post(f"/api/v1/experiences/{uuid.uuid4()}/similar").status_code == 404


def test_votes_from_one_address_are_limited(make_harness, events):
    harness = make_harness(spec, PUBLICATION_VOTES_PER_IP_PER_HOUR="2")
    stories = [events.published() for _ in range(3)]
    with harness.database.unit_of_work() as session:
        from spplus.publication.service_layer.read_model import publish_experience

        for story in stories:
            publish_experience(session, story)
    codes = [harness.app.test_client().post(f"/api/v1/experiences/{story['experience_id']}/similar").status_code
             for story in stories]
    assert codes == [200, 200, 429]
    refused = harness.app.test_client().post(f"/api/v1/experiences/{stories[2]['experience_id']}/similar")
    assert json_body(refused)["message"].startswith("Vous avez voté de nombreuses fois")
    # Another address is not affected.
    other = harness.app.test_client().post(f"/api/v1/experiences/{stories[2]['experience_id']}/similar",
                                           headers={"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 200


def test_vote_forms_need_the_csrf_token_and_redirect_back(publication, seed, events):
    story = events.published()
    answer = events.response(story["experience_id"])
    seed(story, responses=[answer])
    page_url = f"/experiences/{story['experience_id']}"
    browser = publication.client
    assert browser.post(f"{page_url}/similaire", data={"csrf_token": "faux"}).status_code == 403
    assert browser.post(f"{page_url}/similaire", data="x=1", content_type="text/plain").status_code == 403
    html = browser.get(page_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = browser.post(f"{page_url}/similaire", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{page_url}?vote=similaire#similaire")
    html = browser.get(page_url + "?vote=similaire").get_data(as_text=True)
    assert "votre expérience similaire a été comptée" in html and "<strong data-similar-count>1</strong> personne a vécu" in html
    assert "J'ai vécu une expérience similaire</button>" not in html  # already voted
    again = browser.post(f"{page_url}/similaire", data={"csrf_token": token})
    assert "vote=similaire-deja" in again.headers["Location"]
    useful = browser.post(f"/reponses/{answer['response_id']}/utile", data={"csrf_token": token, "utile": "non"})
    assert useful.status_code == 303 and f"#reponse-{answer['response_id']}" in useful.headers["Location"]
    html = browser.get(page_url).get_data(as_text=True)
    assert "Vous avez jugé cette réponse peu utile" in html and "0 personne l'a jugée utile, 1 peu utile" in html
    assert browser.post(f"/reponses/{answer['response_id']}/utile",
                        data={"csrf_token": token, "utile": "bof"}).status_code == 400
