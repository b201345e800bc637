"""``python -m services.parser``: run a parser worker."""

from services.parser.app import main

if __name__ == "__main__":
    main()
