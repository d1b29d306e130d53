# placeholder: owned by the unit-test work
.PHONY: test-unit
test-unit:
	@echo "unit: no tests yet"
