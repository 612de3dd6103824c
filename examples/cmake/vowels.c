/* vowels.c — the plain C the words graph calls: nothing here knows about agdf,
** so editing words.agdf never recompiles this file. */
#include <string.h>

int count_vowels(const char *s);

int count_vowels(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += strchr("aeiou", *s) != NULL;
    return n;
}
