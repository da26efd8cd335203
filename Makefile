# 两个常用命令：make serve（构建并预览手册）、make test（运行全部测试）。
# 只需要 Python 3.11+、make 和 root 权限的 apt（浏览器测试要装 Debian 的 chromium 和中文字体）。
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-fast check validate browser-deps node-deps clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

serve: $(BIN)/.installed  ## 构建并在 http://127.0.0.1:8000 预览手册
	$(BIN)/mkdocs serve --dev-addr $(HOST)

build: $(BIN)/.installed  ## 构建静态站点到 site/
	$(BIN)/mkdocs build --strict

validate: $(BIN)/.installed  ## 只校验话术库
	$(BIN)/huashu validate

# Browser tests drive Debian's Chromium (Playwright cannot download its own here);
# fonts-noto-cjk so Chinese renders in headless screenshots and PDFs.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
		echo "安装 chromium 和 fonts-noto-cjk ……"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# The search engine's own tests run in Node (Debian's nodejs), without a browser.
node-deps:
	@if ! command -v node >/dev/null 2>&1; then \
		echo "安装 nodejs ……"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs >/dev/null; \
	fi

check: $(BIN)/.installed  ## 代码检查：ruff（风格与格式）和 mypy（类型）
	$(BIN)/ruff check huashu hooks tests bench
	$(BIN)/ruff format --check huashu hooks tests bench
	$(BIN)/mypy

test: $(BIN)/.installed browser-deps node-deps check  ## 运行全部测试（含真实浏览器测试）
	$(BIN)/python -m pytest

test-fast: $(BIN)/.installed node-deps  ## 日常开发用：不构建整个站点、不开浏览器（30 秒内）
	$(BIN)/python -m pytest -m "not slow" -q

clean:
	rm -rf site .site.building-* .site.replaced-* .site.lock $(VENV) .pytest_cache
