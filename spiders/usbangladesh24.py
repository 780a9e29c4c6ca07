from newswatch.outlet import OutletSpider


class USBangladesh24Spider(OutletSpider):
    """US Bangladesh 24, usbangladesh24.com: the *assumed* outlet of seed 001.

    Seed 001 (a US-based outlet, Sept 2024) is not identified (OUTLETS.md §5). Searching the pages
    corpus on 2026-11-23 for its sidebar headlines (ম্যাজিস্ট্রেসি ক্ষমতা পেলো এবার সেনাবাহিনী;
    মিনিয়াপোলিসে এক নারীর গাড়িতে নিহত ১, আহত ৫; দেশে রাজনৈতিক সহিংসতার কোন স্থান নেই: জো বাইডেন;
    বাইডেন সরকারের অর্থনৈতিক পদক্ষেপ ব্যর্থ হয়েছে: স্পিকার; ‘ফোনে আপা আপা বলা’ আ.লীগ নেতা
    তানভীরকে বহিষ্কার) found other outlets' copies of those stories, never this page. This spider
    takes the first candidate of OUTLETS.md §5, usbangladesh24.com: a New York Bangla site on
    WordPress that republishes Bangladeshi copy, as seed 001 does. That choice is a guess.

    Routes: category listings `/archives/category/<percent-encoded Bengali name>/page/N` (P,
    `usbangladesh24.com/archives/category/নিউইয়র্ক/page/65`), so permalinks are
    `/archives/<id>` (WordPress "/archives/%post_id%"); the international category name
    আন্তর্জাতিক and the feed `/feed` (WordPress standard, OUTLETS.md §3) are assumed.

    Markup: seed 001 shows what a page holds (no byline, `&nbsp;` spacer paragraphs between
    paragraphs, `Facebook Comments Box` and `মন্তব্য করুন` after the text, numbered
    সর্বশেষ/জনপ্রিয় tabs); the class names (`h1.single-title`, `.post-time`, `.news-details`,
    `.single-cat`) are assumed, as are the New York `article:published_time` meta and the dateline
    `প্রকাশিত: <weekday>, <d> <month>, <yyyy> <hh:mm> পূর্বাহ্ন|অপরাহ্ন`.
    """

    name = "usbangladesh24"
    outlet_name = "US Bangladesh 24"
    allowed_domains = ["usbangladesh24.com"]
    base_url = "https://usbangladesh24.com"
    feeds = ["/feed"]
    listings = [
        # /archives/category/আন্তর্জাতিক
        "/archives/category/%e0%a6%86%e0%a6%a8%e0%a7%8d%e0%a6%a4%e0%a6%b0%e0%a7%8d%e0%a6%9c%e0%a6%be%e0%a6%a4%e0%a6%bf%e0%a6%95",
    ]
    # The category's own list; the সর্বশেষ/জনপ্রিয় tabs and the headline ticker are site-wide.
    listing_area = ".cat-news-list"
    # Anchored to the path, so share links that carry a post URL in a query do not match.
    article_url = r"^https?://[^/?#]+/archives/\d+$"
    selectors = {
        "title": "h1.single-title",
        "published": ".single-meta .post-time",
        "section": ".single-cat a",
        "body": ".news-details",
    }
    exclude = [".wp-caption"]
