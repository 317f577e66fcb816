"""The workspace: what the user gives — config.yaml, the YAML files or the data workbook —
read with line and cell numbers, typed, validated and cross-checked into one `Workspace`;
also the `init` skeleton and the data workbook written back for Excel users.

May use: docgen.render (atomic output, sheet primitives), docgen.layout, errors, i18n, vnformat.
"""
