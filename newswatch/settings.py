"""Scrapy settings for newswatch, read top to bottom in the order an article flows through them."""

import os

BOT_NAME = "newswatch"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

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

# -- what happens to an article after its page is read -----------------------------------------
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

# -- where records go, and what is remembered between runs -------------------------------------
# Records are appended to <data dir>/<UTC date>/<outlet>.jsonl by pipelines/store.py (exactly
# once: see newswatch/state.py). `-o`/`-O` add an ordinary Scrapy feed beside it.
NEWSWATCH_DATA_DIR = os.environ.get("NEWSWATCH_DATA_DIR", "data")
# The state store: a file path (default <data dir>/state.sqlite), also from the environment.
NEWSWATCH_STATE = os.environ.get("NEWSWATCH_STATE", "")
SPIDER_MIDDLEWARES = {"newswatch.incremental.SeenFilterMiddleware": 550}
FEED_EXPORT_ENCODING = "utf-8"  # for -o/-O: Bengali stays Bengali, not \u escapes

# -- run bookkeeping ----------------------------------------------------------------------------
EXTENSIONS = {
    "newswatch.incremental.StateExtension": 100,
    "newswatch.extensions.StatsFile": 500,
}
NEWSWATCH_STATS_FILE = ""  # when set, the final stats are written there as JSON

# -- the engine ---------------------------------------------------------------------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = os.environ.get("NEWSWATCH_LOG_LEVEL", "INFO")
TELNETCONSOLE_ENABLED = False
