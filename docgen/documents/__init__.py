"""The documents: what each document says — the context of every Tờ trình, Biên bản, Danh
sách, Báo cáo thành tích, Quyết định and Kế hoạch — as plain data handed to the renderer by
docgen.main.

May use: docgen.rules, docgen.workspace, errors, i18n, vnformat. Never calls the renderer.
"""
