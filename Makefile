# Shortcuts for scripts/dev.sh, which does the real work (and needs no make).
.PHONY: setup demo test fuzz bench mutate docs clean
setup demo test fuzz bench mutate docs:
	sh scripts/dev.sh $@
clean:
	rm -rf output build dist .pytest_cache mutants site
