"""The rendering: how a .docx, PDF or workbook is made and written — prepared templates and
the zip writer, the renderer and its worker processes, template checking, merging, PDF
through LibreOffice, atomic output, and the print-ready workbooks.

Takes templates and plain contexts; knows nothing of the workspace, the rules or the
documents. May use: docgen.layout, errors, i18n, vnformat.
"""
