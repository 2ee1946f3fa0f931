# Run by the image's own interpreter (chroot <rootfs> <python> -I -B - < python-dists.py): prints one
# "name<TAB>version<TAB>metadata dir" line per installed distribution that interpreter can import, as
# importlib.metadata sees them. Writes nothing into the rootfs (-B: no bytecode).
import importlib.metadata

for dist in importlib.metadata.distributions():
    print(f"{dist.metadata['Name']}\t{dist.version}\t{dist._path}")
