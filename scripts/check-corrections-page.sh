#!/usr/bin/env bash
# Corrections in a real browser: headless Chromium driven by Selenium (Debian's chromium and
# chromium-driver, selenium from PyPI) reports a mistake on a service's page of the sample
# directory (a note with markup in it), then a coordinator's link shows it, its note as text,
# and accepts it; `crocevia correction list` then says accepted. Screenshots in OUT_DIR.
#
#   scripts/check-corrections-page.sh [OUT_DIR]   (apt-get install -y chromium chromium-driver; pip install selenium)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
command -v chromedriver >/dev/null || { echo "check-corrections-page: chromedriver is missing (apt-get install -y chromium-driver)" >&2; exit 2; }
python3 -c "import selenium" 2>/dev/null || { echo "check-corrections-page: selenium is missing (pip install selenium)" >&2; exit 2; }
work=$out port=18092
source scripts/serve-samples.sh
registry="sqlite:$work/registry.sqlite"
link=$("$crocevia" partner add anna --role coordinator --registry "$registry" --base-url "$base" 2>/dev/null)
# The server reads the links at its next look at the registry (every 5 s).
sleep 6
python3 - "$base" "$link" "$out" <<'PY'
import sys
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
base, link, out = sys.argv[1:4]
options = webdriver.ChromeOptions()
for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
    options.add_argument(flag)
driver = webdriver.Chrome(options=options)
failures = []
try:
    driver.set_window_size(390, 1600)
    driver.get(base + "/directory/services/309e0076-4453-5688-8efb-62adcead994c")
    driver.find_element(By.CSS_SELECTOR, "details.correction summary").click()
    Select(driver.find_element(By.NAME, "field")).select_by_value("organization.email")
    driver.find_element(By.NAME, "offered").send_keys("segreteria@portaaperta.org")
    driver.find_element(By.NAME, "note").send_keys("<script>alert(1)</script> ha cambiato indirizzo")
    driver.save_screenshot(f"{out}/correction-form-phone.png")
    driver.find_element(By.CSS_SELECTOR, "details.correction button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: "Grazie" in d.page_source or d.find_elements(By.CSS_SELECTOR, "p.error"))
    driver.save_screenshot(f"{out}/correction-thanks-phone.png")
    if "La segnalazione è stata registrata" not in driver.page_source:
        failures.append("the report was not recorded: " + driver.find_element(By.TAG_NAME, "main").text[:300])
    driver.set_window_size(1200, 1200)
    driver.get(link)
    page = driver.page_source
    if "organization.email" not in page or "segreteria@portaaperta.org" not in page:
        failures.append("the coordinators' page does not show the correction")
    if driver.find_elements(By.TAG_NAME, "script"):
        failures.append("a script element from the note reached the coordinators' page")
    if "<script>alert(1)</script> ha cambiato indirizzo" not in driver.find_element(By.CSS_SELECTOR, "section.correction").text:
        failures.append("the note is not shown as text")
    driver.save_screenshot(f"{out}/coordination-desktop.png")
    driver.find_element(By.CSS_SELECTOR, "button[value=accept]").click()
    WebDriverWait(driver, 30).until(lambda d: "accolta" in d.page_source or d.find_elements(By.CSS_SELECTOR, "p.error"))
    driver.save_screenshot(f"{out}/coordination-accepted-desktop.png")
    if "accolta: organization.email → segreteria@portaaperta.org" not in driver.page_source:
        failures.append("accepting did not say so")
finally:
    driver.quit()
if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print("reported on the service's page, shown to the coordinator, accepted")
PY
listed=$("$crocevia" correction list --registry "$registry")
echo "$listed"
printf '%s\n' "$listed" | grep -q $'\taccepted\tportale-dei-saperi\t' || { echo "check-corrections-page: the correction is not accepted and routed to portale-dei-saperi" >&2; exit 1; }
echo "screenshots: $out/correction*.png $out/coordination*.png"
