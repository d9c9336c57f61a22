import json
import re

from cantho.jsonld import jsonld_script


def test_jsonld_is_valid_json_and_cannot_break_out_of_its_script_tag():
    html = jsonld_script({"@type": "Event", "name": "</script><script>alert(1)</script> Ngày Indonesia"})
    assert html.count("</script>") == 1
    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html, re.S).group(1)
    data = json.loads(body)
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "</script><script>alert(1)</script> Ngày Indonesia"
