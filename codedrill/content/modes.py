"""The learning modes a pattern has, in the order a learner meets them: the ten of the page
codedrill is modelled on, and Project, where the learner writes the code."""

from typing import NamedTuple


class Mode(NamedTuple):
    slug: str
    title: str
    blurb: str


MODES = [
    Mode("learn", "Learn", "What the pattern is and when to reach for it."),
    Mode("why", "Why", "The problem it solves, before and after, in a real situation."),
    Mode("visualize", "Visualize", "Step through an execution one event at a time."),
    Mode("try", "Try", "Fill the blanks in real code; the completed code is run."),
    Mode("deep-dive", "Deep dive", "How it works under the hood, and its pitfalls."),
    Mode("review", "Review", "Cheat sheet, flashcards and a quick quiz."),
    Mode("practice", "Practice", "Five problems, untimed, with worked solutions."),
    Mode("challenge", "Challenge", "Five problems against the clock; all right earns the badge."),
    Mode("test", "Test", "Ten questions that tell you whether the pattern is strong."),
    Mode("lab", "Lab", "Run real servers and watch the requests on a timeline."),
    Mode("project", "Project", "Fix a small app step by step; real servers run your code."),
]
MODE_SLUGS = [mode.slug for mode in MODES]
BY_SLUG = {mode.slug: mode for mode in MODES}
# Modes whose content is a Markdown page in the pattern folder, named <slug>.md.
PAGE_MODES = ["learn", "why", "deep-dive"]
# What one attempt draws: a Challenge one problem per category, a Test this many questions
# per difficulty. Both draw what the learner has seen least first (attempts.rules).
TEST_MIX = {"easy": 3, "medium": 4, "hard": 3}
# A Challenge pool holds at least this many problems per category, all of one difficulty, so
# the two challenges after any one ask only problems whose solutions it did not reveal.
CHALLENGE_PER_CATEGORY = 3
# A Test pool holds at least this many per difficulty: twice what a test draws, so the test
# after any one asks only questions it did not reveal.
TEST_PER_DIFFICULTY = 8

# Modes a learner marks done by reading to the end (Review: its cheat sheet). The others get
# progress only from their own rules: drills, traces, challenge and test scores.
READING_MODES = [*PAGE_MODES, "review"]
