"""Locust users for the quiz benchmark (driven by ``bench/quiz_load.py``).

``TrivialUser`` hits /health/ (one SELECT 1): the server's ceiling. ``Taker`` is one person
after another arriving with a one-time code: open the quiz's door, sign in lightly (name,
unit, code), open the paper, answer every question (one POST each, as the taking page does),
submit. Each user takes codes from the shared list until none is left; then the run stops.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import FastHttpUser, events, task
from locust.exception import StopUser

with open(os.environ["QUIZ_BENCH_DATA"], encoding="utf-8") as _data:
    DATA = json.load(_data)
CODES = list(DATA["codes"])
UNITS = DATA["units"]
QUIZ = DATA["quiz"]
PAPER = DATA["paper_size"]
STATE = {"done": 0, "target": len(CODES)}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTEMPT = re.compile(r"/quiz/attempt/(\d+)/")


class TrivialUser(FastHttpUser):
    weight = int(os.environ.get("QUIZ_BENCH_TRIVIAL", "0"))

    @task
    def health(self):
        self.client.get("/health/", name="trivial")


class Taker(FastHttpUser):
    weight = int(os.environ.get("QUIZ_BENCH_TAKERS", "1"))

    @task
    def take_the_quiz(self):
        if not CODES:
            raise StopUser
        code = CODES.pop()
        self.client.cookiejar.clear()
        door = self.client.get(f"/quiz/take/{QUIZ}/", name="door")
        token = TOKEN.search(door.text or "")
        if token is None:
            return
        csrf = token.group(1)
        with self.client.post(
            f"/quiz/take/{QUIZ}/",
            data={"csrfmiddlewaretoken": csrf, "name": f"答题人{code}", "unit": random.choice(UNITS), "code": code},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as signed:
            found = ATTEMPT.search(signed.headers.get("Location", "") or "")
            if signed.status_code != 302 or found is None:
                signed.failure(f"sign-in gave {signed.status_code}")
                return
            signed.success()
        attempt = found.group(1)
        headers = {"X-CSRFToken": csrf, "Accept": "application/json"}
        self.client.get(f"/quiz/attempt/{attempt}/?n=0", name="paper")
        for position in range(PAPER):
            self.client.post(
                f"/quiz/attempt/{attempt}/answer/",
                data={"position": position, "chosen": random.choice("ABCD" if position % 3 else "AB")},
                headers=headers,
                name="answer",
            )
        self.client.post(f"/quiz/attempt/{attempt}/submit/", headers=headers, name="submit")
        STATE["done"] += 1
        if STATE["done"] >= STATE["target"]:
            self.environment.runner.quit()


@events.quitting.add_listener
def _report(environment, **_kwargs):
    print(f"takers done: {STATE['done']}")
