/* Placeholder entry point until the CLI lands; replaced by the real dispatcher. */
int main(void) { return 0; }
