#!/usr/bin/python3
"""ctest campaign.report_in_browser: the campaign's report as a person sees it,
in headless Chromium (Debian's chromium, chromium-driver and python3-selenium;
run with Debian's /usr/bin/python3, whose packages those are).

usage: report_browser.py REPORT SCREENSHOT.png --root REPO [--runs N] [--finding TEXT]...

Serves REPORT on 127.0.0.1 (a port of its own), opens index.html, saves a
screenshot of the whole page to SCREENSHOT.png, and fails (exit 1, naming what)
unless:
  - every table has rows of data and every chart has drawn lines with points,
    rendered with a size;
  - the history says N runs and its charts have a point for each;
  - each TEXT is in a finding's signature, and that finding's page opens;
  - every link of the report page and of each finding page resolves: a page,
    a file (HTTP 200) or an anchor on the page;
  - no page shows the repository's absolute path.
"""
import argparse
import functools
import http.server
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

failures = []


def fail(what):
    failures.append(what)
    print('FAIL: ' + what)


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = '/usr/bin/chromium'
    # As root on a closed network: no sandbox, no background connections.
    for flag in ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync',
                 '--disable-dev-shm-usage', '--window-size=1200,900'):
        o.add_argument(flag)
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=o)


def check_links(driver, page_url, base, checked):
    """Every <a href> of the page open in `driver` resolves."""
    for a in driver.find_elements(By.TAG_NAME, 'a'):
        href = a.get_attribute('href')
        if not href:
            fail(f'{page_url}: a link without a target ("{a.text}")')
            continue
        url, _, anchor = href.partition('#')
        if url == page_url.partition('#')[0]:
            if anchor and not driver.find_elements(By.ID, anchor):
                fail(f'{page_url}: link to #{anchor}, which is not on the page')
            continue
        if not url.startswith(base):
            fail(f'{page_url}: link leaves the report: {href}')
            continue
        if url in checked:
            continue
        checked.add(url)
        try:
            with urllib.request.urlopen(url) as r:
                r.read()
                if r.status != 200:
                    fail(f'{page_url}: {href}: HTTP {r.status}')
        except urllib.error.HTTPError as e:
            fail(f'{page_url}: {href}: HTTP {e.code}')


def check_text(driver, page_url, root):
    if root in driver.page_source:
        fail(f'{page_url}: shows the absolute path {root}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('report')
    ap.add_argument('screenshot')
    ap.add_argument('--root', required=True)
    ap.add_argument('--runs', type=int, default=1)
    ap.add_argument('--finding', action='append', default=[])
    a = ap.parse_args()
    server = serve(os.path.abspath(a.report))
    base = f'http://127.0.0.1:{server.server_address[1]}/'
    driver = browser()
    checked = set()
    try:
        driver.get(base + 'index.html')
        if 'ballast fuzzing campaign' not in driver.title:
            fail(f'index.html: title is "{driver.title}"')
        # The whole page in one screenshot.
        height = driver.execute_script('return document.documentElement.scrollHeight')
        driver.set_window_size(1200, min(max(height, 900), 16000))
        driver.save_screenshot(a.screenshot)
        print(f'screenshot: {a.screenshot} (1200x{height})')

        tables = driver.find_elements(By.TAG_NAME, 'table')
        if len(tables) < 5:
            fail(f'index.html: {len(tables)} tables, expected the run, findings, targets, pairs, switches, '
                 'coverage and history tables')
        for i, t in enumerate(tables):
            rows = [r for r in t.find_elements(By.TAG_NAME, 'tr') if r.find_elements(By.TAG_NAME, 'td')]
            if not rows:
                fail(f'index.html: table {i + 1} has no rows of data')
        charts = driver.find_elements(By.CSS_SELECTOR, 'svg.chart')
        if not charts:
            fail('index.html: no charts')
        for c in charts:
            name = c.get_attribute('aria-label')
            if c.size['width'] <= 0 or c.size['height'] <= 0:
                fail(f'chart "{name}" is not rendered')
            lines = c.find_elements(By.CSS_SELECTOR, 'polyline.series')
            if not lines or not all(p.get_attribute('points').strip() for p in lines):
                fail(f'chart "{name}" has no line')
            if not c.find_elements(By.TAG_NAME, 'circle'):
                fail(f'chart "{name}" has no points')
        heading = driver.find_element(By.ID, 'history').text
        if f'History ({a.runs} run(s))' != heading:
            fail(f'history heading is "{heading}", expected {a.runs} runs')
        cov = [c for c in charts if c.get_attribute('aria-label') == 'Line coverage per run']
        if not cov:
            fail('no coverage-per-run chart')
        else:
            core = cov[0].find_elements(By.TAG_NAME, 'circle')
            if len(core) < a.runs:
                fail(f'coverage-per-run chart has {len(core)} points, expected at least {a.runs}')
        pairs = driver.find_element(By.ID, 'diff').find_element(By.XPATH, 'following-sibling::table[1]').text
        for pair in ('core:ballast vs upstream:seed', 'core:linux-2019 vs upstream:seed',
                     'core:linux-6.1 vs upstream:6.1'):
            if pair not in pairs:
                fail(f'the differential table has no row for {pair}')
        examples = [e for e in driver.find_elements(By.LINK_TEXT, 'example')]
        if not examples:
            fail('the divergence-by-switch table links no example')
        check_text(driver, 'index.html', a.root)
        finding_pages = {}
        for link in driver.find_elements(By.CSS_SELECTOR, 'a[href^="findings/"]'):
            finding_pages[link.get_attribute('href')] = link.text
        for text in a.finding:
            if not any(text in sig for sig in finding_pages.values()):
                fail(f'no finding whose signature has "{text}" (findings: {list(finding_pages.values())})')
        check_links(driver, base + 'index.html', base, checked)
        for url, sig in sorted(finding_pages.items()):
            driver.get(url)
            if sig not in driver.page_source.replace('&lt;', '<'):
                fail(f'{url}: the finding page does not show its signature {sig}')
            if 'Reproduce' not in driver.page_source:
                fail(f'{url}: no command to reproduce it')
            check_text(driver, url, a.root)
            check_links(driver, url, base, checked)
        print(f'checked: {len(tables)} tables, {len(charts)} charts, {len(finding_pages)} finding pages, '
              f'{len(checked)} linked files')
    finally:
        driver.quit()
        server.shutdown()
    if failures:
        print(f'{len(failures)} failure(s)')
        return 1
    print('report_in_browser: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
