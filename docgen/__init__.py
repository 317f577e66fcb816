"""docgen: hồ sơ thi đua, khen thưởng từ dữ liệu YAML."""
