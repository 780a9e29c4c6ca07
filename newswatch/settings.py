"""Scrapy settings for newswatch, read top to bottom in the order an article flows through them."""

import os

BOT_NAME = "newswatch"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Outlets described by a config file alone (outlets/<name>.toml) are added to those spiders.
SPIDER_LOADER_CLASS = "newswatch.loader.OutletLoader"
NEWSWATCH_OUTLETS_DIR = ""  # empty: outlets/ at the repository top

# -- who we are and how politely we ask ---------------------------------------------------------
# Set NEWSWATCH_CONTACT (an e-mail or URL) so a site's operator can reach whoever runs the crawl.
NEWSWATCH_CONTACT = os.environ.get("NEWSWATCH_CONTACT", "https://github.com/newswatch/newswatch")
USER_AGENT = f"newswatch/0.1 (+{NEWSWATCH_CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # no article page is this large; a bigger body is an error
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "bn-BD,bn;q=0.9,en;q=0.5",
}

# -- where articles are found (newswatch/discovery.py) ------------------------------------------
NEWSWATCH_MONITOR_PAGES = 5  # monitoring: pages of one listing at most, while pages bring news
NEWSWATCH_BACKFILL_PAGES = 1000  # backfill (-a since=): pages of one listing at most
# Queried on outlets that declare `searches`; empty: the topic files' `search` phrases.
NEWSWATCH_SEARCH_TERMS: list[str] = []

# A real browser (Debian's Chromium) for listings that fill in by script, and as a one-time
# retry for a response that is a bot challenge. Plain HTTP stays the default for every request.
DOWNLOAD_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.environ.get("NEWSWATCH_CHROMIUM", "/usr/bin/chromium"),
    "headless": True,
    # Off the network except for the page itself: no updates, sync, telemetry or QUIC probes.
    "args": [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--no-sandbox",
        "--disable-gpu",
    ],
}
PLAYWRIGHT_ABORT_REQUEST = "newswatch.browser.abort_heavy_request"
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
# newswatch/middlewares.py: requests stay on the outlet's domains (redirects too), redirect loops
# stop, Retry-After is honoured, Bengali pages labelled as a Latin charset are read as UTF-8.
DOWNLOADER_MIDDLEWARES = {
    "newswatch.middlewares.DomainGuardMiddleware": 40,  # before offsite (50) and robots.txt (100)
    "newswatch.middlewares.CharsetMiddleware": 540,  # after decompression (590) and retries (550)
    "newswatch.middlewares.RetryAfterMiddleware": 555,  # sees a 429/503 before RetryMiddleware
    "newswatch.browser.ChallengeMiddleware": 580,
}
NEWSWATCH_EXTRA_DOMAINS: list[str] = []  # hosts besides the outlet's own that may be requested
NEWSWATCH_RETRY_AFTER_MAX = 120  # seconds; a longer Retry-After leaves the page to the next run
NEWSWATCH_NO_BROWSER = False  # True: js_listings are fetched as plain HTTP (no Chromium here)

# -- what happens to an article after its page is read -----------------------------------------
# Pipelines are plain functions of one item: running up to 100 items of one response side by side
# (Scrapy's default) only costs 100 asyncio tasks per response (bench/RESULTS.md, item 5).
CONCURRENT_ITEMS = 8
# Scrapy's check for `return value` in generator callbacks re-reads and parses the callback's
# source for every response whose request came back from the disk queue (its cache is keyed by
# the bound method, which is new each time): 8 % of a crawl's CPU. tests/test_outlets.py runs
# the same check once over every spider's callbacks instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.topics.TopicFilterPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.store.StorePipeline": 500,  # durable write, then the URL is marked seen
}
# Keep syndicated copies (marked with duplicate_of) or drop them.
NEWSWATCH_DROP_DUPLICATES = False
# Topic ids to keep (files in newswatch/topics/); empty means every topic file there.
NEWSWATCH_TOPICS: list[str] = []
# An article page whose bytes hold no term a topic needs is counted off-topic without being read
# (newswatch/topics/precheck.py). The first NEWSWATCH_PRECHECK_READ_FIRST such pages of a run and
# one in NEWSWATCH_PRECHECK_READ_EVERY after them are read anyway, so health sees real readings.
NEWSWATCH_TOPIC_PRECHECK = True
NEWSWATCH_PRECHECK_READ_FIRST = 3
NEWSWATCH_PRECHECK_READ_EVERY = 20

# -- where records go, and what is remembered between runs -------------------------------------
# Records are appended to <data dir>/<UTC date>/<outlet>.jsonl by pipelines/store.py (exactly
# once: see newswatch/state.py). `-o`/`-O` add an ordinary Scrapy feed beside it.
NEWSWATCH_DATA_DIR = os.environ.get("NEWSWATCH_DATA_DIR", "data")
# The state store: a file path (default <data dir>/state.sqlite), also from the environment.
NEWSWATCH_STATE = os.environ.get("NEWSWATCH_STATE", "")
# Several workers on one crawl (newswatch/distributed.py): a Redis URL here shares one request
# queue and dupe filter between `newswatch run` workers (scrapy-redis); empty: the ordinary
# in-process scheduler. Use it with a redis:// NEWSWATCH_STATE so writes stay exactly once.
NEWSWATCH_QUEUE = os.environ.get("NEWSWATCH_QUEUE", "")
# This worker's name (default: the host name): its run lock, its claims in the Redis state and
# its output files, <outlet>.<worker>.jsonl (when set, or when a queue is used).
NEWSWATCH_WORKER_ID = os.environ.get("NEWSWATCH_WORKER_ID", "")
NEWSWATCH_QUEUE_LEASE = 15  # seconds without a heartbeat before a worker counts as dead
ADDONS = {"newswatch.distributed.DistributedAddon": 100}  # no-op without NEWSWATCH_QUEUE
FEED_EXPORT_ENCODING = "utf-8"  # for -o/-O: Bengali stays Bengali, not \u escapes

# -- run bookkeeping ----------------------------------------------------------------------------
EXTENSIONS = {
    "scrapy.extensions.spiderstate.SpiderState": None,  # spider.state is unused (no resuming)
    "newswatch.middlewares.RedactSecrets": 0,  # proxy passwords never reach a log line
    "newswatch.incremental.StateExtension": 100,
    "newswatch.extensions.StatsFile": 500,
}
# Queued requests wait on disk (Scrapy's JOBDIR, one folder per crawl: newswatch/diskqueue.py).
NEWSWATCH_DISK_QUEUE = True
SCHEDULER_DISK_QUEUE = "newswatch.diskqueue.RequestDiskQueue"  # Scrapy's, with a faster push
NEWSWATCH_STATS_FILE = ""  # when set, the final stats are written there as JSON
COMMANDS_MODULE = "newswatch.commands"  # `scrapy crawlall`
# Health check (newswatch/health.py): a required field whose coverage falls by this much
# against the median of the outlet's last runs marks the outlet broken.
NEWSWATCH_COVERAGE_DROP = 0.5
NEWSWATCH_COVERAGE_RUNS = 5
NEWSWATCH_COVERAGE_MIN_PAGES = 2

# -- the engine ---------------------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = os.environ.get("NEWSWATCH_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
