"""Where one address's data is found, one module per app that keeps some. Each
offers `KINDS` [(key, label)], `export(email)` → {key: [rows]} and
`erase(email, user)` → {key: count}; personal_data.records uses those of the
installed apps."""
