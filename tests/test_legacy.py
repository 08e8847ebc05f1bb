def test_status_in_query_or_form_body(world):
    s = world.session()
    r = s.post(world.url("/1.1/statuses/update.json"), params={"status": "from the query"})
    assert r.status_code == 200
    body = r.json()
    assert body["text"] == "from the query" and body["id_str"] == str(body["id"])
    assert body["user"]["screen_name"] == "acme"
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "Ladies + Gentlemen!"})
    assert r.json()["text"] == "Ladies + Gentlemen!"


def test_v1_errors(world):
    s = world.session()
    s.post(world.url("/1.1/statuses/update.json"), data={"status": "again"})
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "again"})
    assert (r.status_code, r.json()) == (
        403,
        {"errors": [{"code": 187, "message": "Status is a duplicate."}]},
    )
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "x" * 281})
    assert r.json()["errors"][0]["code"] == 186
    r = s.post(world.url("/1.1/statuses/update.json"))
    assert (r.status_code, r.json()["errors"][0]["code"]) == (400, 170)
    r = s.get(world.url("/1.1/statuses/nothing.json"))
    assert (r.status_code, r.json()["errors"][0]["code"]) == (404, 34)


def test_status_text_is_html_escaped_but_stored_as_posted(world, sim):
    s = world.session()
    r = s.post(world.url("/1.1/statuses/update.json"), data={"status": "Café & <b>bold</b> 'q' \"qq\""})
    assert r.status_code == 200
    assert r.json()["text"] == "Café &amp; &lt;b&gt;bold&lt;/b&gt; 'q' \"qq\""
    assert sim.store.get_post(r.json()["id_str"]).text == "Café & <b>bold</b> 'q' \"qq\""
    r = s.get(world.url(f"/2/tweets/{r.json()['id_str']}"))
    assert r.json()["data"]["text"] == "Café &amp; &lt;b&gt;bold&lt;/b&gt; 'q' \"qq\""
