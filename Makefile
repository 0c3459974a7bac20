# Shortcuts for scripts/dev.sh, which does the real work (and needs no make).
.PHONY: setup demo test bench clean
setup demo test bench:
	sh scripts/dev.sh $@
clean:
	rm -rf output build dist .pytest_cache
