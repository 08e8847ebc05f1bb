import pytest

from xmock.simulator import Settings


def test_toml_settings_prices_and_limits(tmp_path):
    path = tmp_path / "xmock.toml"
    path.write_text(
        '[simulator]\ntimestamp_window = 600\nconsent_mode = "approve"\ninitial_credits = "25.00"\n'
        '[prices]\nContentCreate = "0.02"\n'
        '[limits]\n"posts:create" = [{who = "user", limit = 5, window = 60}]\n'
    )
    settings = Settings.from_toml(path)
    assert settings.timestamp_window == 600 and settings.consent_mode == "approve"
    assert settings.prices == {"ContentCreate": "0.02"}
    assert settings.limits["posts:create"][0]["limit"] == 5


@pytest.mark.parametrize(
    "text",
    [
        "[simulator]\ncolour = 1\n",
        '[simulator]\nconsent_mode = "maybe"\n',
        "[other]\nx = 1\n",
        '[simulator]\ninitial_credits = "lots"\n',
        "[simulator]\nsimilarity = 2.0\n",
    ],
)
def test_bad_settings_are_refused_clearly(tmp_path, text):
    path = tmp_path / "xmock.toml"
    path.write_text(text)
    with pytest.raises(ValueError):
        Settings.from_toml(path)


def test_unknown_price_class_and_bad_limits_are_refused(world, http):
    r = http.patch(world.url("/_xmock/settings"), json={"prices": {"Nope": "1"}})
    assert r.status_code == 400 and r.json()["error"].startswith("unknown price class 'Nope'; known: ")
    r = http.patch(world.url("/_xmock/settings"), json={"limits": {"users:me": [{"who": "everyone", "limit": 1}]}})
    assert r.status_code == 400
    assert world.session().post(world.url("/2/tweets"), json={"text": "x"}).status_code == 201
