"""MkDocs hooks: wire huashu's stages to MkDocs events. No logic here."""

from __future__ import annotations

from huashu import site

_handbook = None


def on_startup(command, dirty):
    site.note_command(command)


def on_config(config):
    global _handbook
    _handbook = site.load_for_site(config)
    site.set_navigation(config, _handbook)
    return config


def on_files(files, config):
    return site.add_generated_pages(files, config, _handbook)


def on_page_content(html, page, config, files):
    return site.insert_cards(html, page.file.src_uri)


def on_post_build(config):
    site.write_search_index(config, _handbook)
