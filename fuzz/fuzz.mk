# placeholder: owned by the fuzz work
.PHONY: fuzz
fuzz:
	@echo "fuzz: not yet"
