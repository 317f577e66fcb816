"""Giấy khen certificates of a recorded decision (NĐ 98/2023 Điều 104): contexts for the full
certificate and for an office's pre-printed blank, and the calibration page's boxes."""
